#include "modules/integrations/integrations_module.hpp"

#include "modules/integrations/commerce/store_sync.hpp"
#include "modules/integrations/inbound/inbound_routes.hpp"
#include "modules/integrations/integration_routes.hpp"
#include "modules/integrations/messaging/messaging_routes.hpp"
#include "modules/integrations/payment_gateway_routes.hpp"
#include "modules/integrations/signature_requests/signature_request_routes.hpp"

namespace kiln::integrations {

void RegisterIntegrationsRoutes(http::RouteTable& routes, const IntegrationService& service) {
    RegisterIntegrationRoutes(routes, service);
    RegisterInboundRoutes(routes, service);
    RegisterPaymentGatewayRoutes(routes, service);
    RegisterStoreSyncRoutes(routes, service);
    RegisterMessagingRoutes(routes, service);
    RegisterSignatureRequestRoutes(routes, service);
}

void RegisterIntegrationsJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service) {
    RegisterInboundJobs(registry, service);
    RegisterStoreSyncJobs(registry, service);
    RegisterMessagingJobs(registry, service);
}

void RegisterIntegrationsActions(workflows::ActionRegistry& actions, const IntegrationService& service) {
    RegisterMessagingActions(actions, service);
}

}  // namespace kiln::integrations
