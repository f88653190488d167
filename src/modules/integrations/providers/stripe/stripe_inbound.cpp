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
    const GatewayEvent gateway_event(stored, type());
    const std::string& kind = stored.event.event_type;
    const json object = stored.body.value("/data/object"_json_pointer, json::object());
    if (kind == "payment_intent.succeeded") {
        // amount_received is what was captured; amount, what was asked, only when the event leaves it out.
        Charged charged{AmountField(object, "amount_received"), StringAt(object, "/currency"_json_pointer)};
        if (!charged.amount) charged.amount = AmountField(object, "amount");
        return gateway_event.MovePayment(StringAt(object, "/id"_json_pointer), "succeeded", json(), charged);
    }
    if (kind == "payment_intent.payment_failed")
        return gateway_event.MovePayment(StringAt(object, "/id"_json_pointer), "failed",
                                         object.value("last_payment_error", json::object()));
    if (kind == "charge.refunded" && object.value("refunded", false))
        return gateway_event.MovePayment(StringAt(object, "/payment_intent"_json_pointer), "refunded");
    return IgnoredEvent("Kiln does not act on " + kind);
}

}  // namespace kiln::integrations
