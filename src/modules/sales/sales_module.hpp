#pragma once

#include "modules/module.hpp"

namespace kiln::sales {

/// The sales module: sales orders and their workflow (confirm, fulfil, cancel).
class SalesModule final : public modules::Module {
  public:
    std::string_view name() const override { return "sales"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::sales
