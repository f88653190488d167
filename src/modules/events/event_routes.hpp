#pragma once

#include "http/route.hpp"

namespace kiln::events {

/// GET /events (the tenant's recent events) and GET /events/types (every type and its schema).
void RegisterEventRoutes(http::RouteTable& routes);

}  // namespace kiln::events
