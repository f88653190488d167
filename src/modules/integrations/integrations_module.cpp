#include "modules/integrations/integrations_module.hpp"

#include "modules/integrations/commerce/store_sync.hpp"
#include "modules/integrations/inbound/inbound_routes.hpp"
#include "modules/integrations/integration_routes.hpp"
#include "modules/integrations/messaging/messaging_routes.hpp"
#include "modules/integrations/payment_gateway_routes.hpp"
#include "modules/integrations/signature_requests/signature_request_routes.hpp"

namespace kiln::integrations {

void IntegrationsModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterIntegrationRoutes(routes, service_);
    RegisterInboundRoutes(routes, service_);
    RegisterPaymentGatewayRoutes(routes, service_);
    RegisterStoreSyncRoutes(routes, service_);
    RegisterMessagingRoutes(routes, service_);
    RegisterSignatureRequestRoutes(routes, service_);
}

void IntegrationsModule::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    RegisterInboundJobs(registry, service_);
    RegisterStoreSyncJobs(registry, service_);
    RegisterMessagingJobs(registry, service_);
}

void IntegrationsModule::RegisterWorkflowActions(workflows::ActionRegistry& actions) const {
    RegisterMessagingActions(actions, service_);
}

}  // namespace kiln::integrations
