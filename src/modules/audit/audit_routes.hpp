#pragma once

#include "http/route.hpp"

namespace kiln::audit {

/// GET /audit-logs (filters, cursor pagination) and GET /audit-logs/verify.
void RegisterAuditRoutes(http::RouteTable& routes);

}  // namespace kiln::audit
