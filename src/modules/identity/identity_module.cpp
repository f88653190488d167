#include "modules/identity/identity_module.hpp"

#include "modules/identity/identity_mail.hpp"
#include "modules/identity/identity_routes.hpp"

namespace kiln::identity {

void IdentityModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterInvitationRoutes(routes, settings_);
    RegisterPasswordRoutes(routes, settings_, limiter_, proxies_);
}

void IdentityModule::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    RegisterIdentityJobs(registry, settings_);
}

}  // namespace kiln::identity
