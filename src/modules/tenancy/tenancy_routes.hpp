#pragma once

#include "http/route.hpp"

namespace kiln::tenancy {

/// /tenant, /admin/tenants, /permissions.
void RegisterTenantRoutes(http::RouteTable& routes);
/// /roles and /roles/{id}.
void RegisterRoleRoutes(http::RouteTable& routes);
/// /members and /members/{user_id}.
void RegisterMemberRoutes(http::RouteTable& routes);

}  // namespace kiln::tenancy
