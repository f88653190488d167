#include "modules/webhooks/webhooks_module.hpp"

#include "modules/webhooks/webhook_routes.hpp"

namespace kiln::webhooks {

void WebhooksModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareWebhookEvents(registry);
}

void WebhooksModule::RegisterEventConsumers(events::EventDispatcher& dispatcher) const {
    dispatcher.AddConsumer("webhooks",
                           [&service = service_](const db::TenantScope& scope, const events::StoredEvent& event) {
                               service.FanOut(scope, event);
                           });
}

void WebhooksModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterWebhookRoutes(routes, service_);
}

void WebhooksModule::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    service_.RegisterJobs(registry);
}

}  // namespace kiln::webhooks
