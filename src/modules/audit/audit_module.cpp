#include "modules/audit/audit_module.hpp"

#include "modules/audit/audit_routes.hpp"

namespace kiln::audit {

void AuditModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterAuditRoutes(routes, vault_);
}

}  // namespace kiln::audit
