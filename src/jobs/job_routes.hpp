#pragma once

#include "http/route.hpp"

namespace kiln::jobs {

/// GET /jobs: the platform's queue at a glance (platform administrators).
void RegisterJobRoutes(http::RouteTable& routes);

}  // namespace kiln::jobs
