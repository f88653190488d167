#pragma once

#include <chrono>

#include "core/config.hpp"
#include "modules/module.hpp"
#include "observability/observability_settings.hpp"

namespace kiln::observability {

/// The observability module: metrics, the request statistics and the dashboard's data.
class ObservabilityModule final : public modules::Module {
  public:
    ObservabilityModule(const Config& config, const ObservabilitySettings& settings,
                        std::chrono::steady_clock::time_point started)
        : config_(config), settings_(settings), started_(started) {}

    std::string_view name() const override { return "observability"; }
    void RegisterRoutes(http::RouteTable& routes) const override;

  private:
    const Config& config_;
    const ObservabilitySettings& settings_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace kiln::observability
