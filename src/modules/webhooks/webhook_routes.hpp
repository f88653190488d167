#pragma once

#include "http/route.hpp"
#include "modules/webhooks/webhook_service.hpp"

namespace kiln::webhooks {

/// /integrations/webhooks: subscriptions (CRUD), test sends, the delivery log, manual retry,
/// recover and secret rotation. `service` must outlive the routes.
void RegisterWebhookRoutes(http::RouteTable& routes, const WebhookService& service);

}  // namespace kiln::webhooks
