#include "modules/tenancy/tenancy_module.hpp"

#include "modules/tenancy/tenancy_routes.hpp"

namespace kiln::tenancy {

void TenancyModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterTenantRoutes(routes);
    RegisterRoleRoutes(routes);
    RegisterMemberRoutes(routes);
}

}  // namespace kiln::tenancy
