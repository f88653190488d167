#include "modules/integrations/commerce/commerce_upserts.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/providers/shopify/shopify_provider.hpp"
#include "modules/integrations/providers/shopify/shopify_rest.hpp"
#include "modules/integrations/providers/shopify/shopify_signature.hpp"

namespace kiln::integrations {

using nlohmann::json;

std::vector<ReceivedEvent> ShopifyProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    RequireVerified(signatures::VerifyShopifyWebhook(HeaderOr(request, "x-shopify-hmac-sha256"), request.body,
                                                     WebhookSecrets(delivery.config, "webhook_secret")),
                    "Shopify");
    ParseWebhookBody(request.body);
    // The topic header is not signed either; it only picks how the signed body is read, and the body's
    // hash alone is the key, so a replay under another topic is still the same delivery.
    return {{BodyHash(request.body), HeaderOr(request, "x-shopify-topic", "unknown"), request.body}};
}

/// Shopify's products/* and orders/* webhooks carry the REST shape of the object: applied as the sync
/// would apply it, so an object arriving either way ends up the same.
InboundOutcome ShopifyProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const Integration& integration = stored.integration;
    const InboundEvent& event = stored.event;
    const json& body = stored.body;
    SyncCounts counts;
    const std::string& topic = event.event_type;
    if (topic == "products/create" || topic == "products/update") {
        ApplyProducts(scope, integration, {ProductFromRest(body)}, counts);
    } else if (topic == "orders/create" || topic == "orders/updated" || topic == "orders/paid") {
        ApplyOrders(scope, integration, {OrderFromRest(body)}, counts);
    } else {
        return IgnoredEvent("Kiln does not act on " + topic);
    }
    json errors = json::array();
    for (const auto& error : counts.errors) errors.push_back({{"item", error.item}, {"message", error.message}});
    // An item error is a result, not a failure to retry: the same body would fail the same way.
    return {errors.empty() ? "processed" : "failed",
            {{"created", counts.created}, {"updated", counts.updated}, {"errors", errors}}};
}

}  // namespace kiln::integrations
