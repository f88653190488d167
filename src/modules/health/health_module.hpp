#pragma once

#include "modules/module.hpp"

namespace kiln::health {

/// The health module: liveness and readiness probes.
class HealthModule final : public modules::Module {
  public:
    std::string_view name() const override { return "health"; }
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::health
