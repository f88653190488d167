#pragma once

#include "http/route.hpp"

namespace kiln::catalog {

/// /stock-movements (list, adjust) and /inventory/settings.
void RegisterStockRoutes(http::RouteTable& routes);

}  // namespace kiln::catalog
