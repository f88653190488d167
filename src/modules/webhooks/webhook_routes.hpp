#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"
#include "modules/webhooks/webhook_service.hpp"

namespace kiln::webhooks {

/// webhook.subscription.disabled, and webhook.test (sent, never stored).
void DeclareWebhookEvents(events::EventTypeRegistry& registry);

/// /integrations/webhooks: subscriptions (CRUD), test sends, the delivery log, manual retry,
/// recover and secret rotation. `service` must outlive the routes.
void RegisterWebhookRoutes(http::RouteTable& routes, const WebhookService& service);

}  // namespace kiln::webhooks
