#include "core/error.hpp"
#include "modules/integrations/inbound/payment_effects.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/stripe/stripe_provider.hpp"
#include "modules/integrations/providers/stripe/stripe_signature.hpp"

namespace kiln::integrations {

using nlohmann::json;

std::vector<ReceivedEvent> StripeProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    RequireVerified(signatures::VerifyStripeSignature(HeaderOr(request, "stripe-signature"), request.body,
                                                      WebhookSecrets(delivery.config, "webhook_secret"), delivery.now),
                    "Stripe");
    const json event = ParseWebhookBody(request.body);
    const std::string id = StringField(event, "id");
    if (id.empty()) throw BadRequest("The Stripe event has no id.");
    return {{id, StringField(event, "type"), request.body}};
}

InboundOutcome StripeProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const InboundEvent& event = stored.event;
    const json& body = stored.body;
    const json object = body.value("/data/object"_json_pointer, json::object());
    const std::string correlation = "stripe:" + event.provider_event_id;
    if (event.event_type == "payment_intent.succeeded") {
        // amount_received is what was captured; amount, what was asked, only when the event leaves it out.
        Charged charged{AmountField(object, "amount_received"), StringAt(object, "/currency"_json_pointer)};
        if (!charged.amount) charged.amount = AmountField(object, "amount");
        return MovePayment(scope, type(), StringAt(object, "/id"_json_pointer), "succeeded", json(), correlation,
                           charged);
    }
    if (event.event_type == "payment_intent.payment_failed")
        return MovePayment(scope, type(), StringAt(object, "/id"_json_pointer), "failed",
                           object.value("last_payment_error", json::object()), correlation);
    if (event.event_type == "charge.refunded" && object.value("refunded", false))
        return MovePayment(scope, type(), StringAt(object, "/payment_intent"_json_pointer), "refunded", json(),
                           correlation);
    return IgnoredEvent("Kiln does not act on " + event.event_type);
}

}  // namespace kiln::integrations
