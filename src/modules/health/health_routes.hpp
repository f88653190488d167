#pragma once

#include <chrono>

#include "core/config.hpp"
#include "http/route.hpp"

namespace kiln::health {

/// GET /health (components), /health/ready (503 unless the database answers and every
/// migration is applied), /health/live (the process serves requests; touches nothing).
void RegisterHealthRoutes(http::RouteTable& routes, const Config& config,
                          std::chrono::steady_clock::time_point started);

}  // namespace kiln::health
