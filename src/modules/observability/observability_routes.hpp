#pragma once

#include <chrono>

#include "core/config.hpp"
#include "http/route.hpp"
#include "observability/observability_settings.hpp"

namespace kiln::observability {

/// GET /metrics (Prometheus text format; public unless KILN_METRICS_TOKEN is set) and
/// GET /observability/summary (platform `admin:system:read`): the console's live view.
void RegisterObservabilityRoutes(http::RouteTable& routes, const Config& config, const ObservabilitySettings& settings,
                                 std::chrono::steady_clock::time_point started);

}  // namespace kiln::observability
