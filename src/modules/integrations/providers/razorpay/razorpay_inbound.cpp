#include "modules/integrations/inbound/payment_effects.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/razorpay/razorpay_provider.hpp"
#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"

namespace kiln::integrations {

using nlohmann::json;

std::vector<ReceivedEvent> RazorpayProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    RequireVerified(signatures::VerifyRazorpayWebhook(HeaderOr(request, "x-razorpay-signature"), request.body,
                                                      WebhookSecrets(delivery.config, "webhook_secret")),
                    "Razorpay");
    const json event = ParseWebhookBody(request.body);
    return {{BodyHash(request.body), StringField(event, "event"), request.body}};
}

InboundOutcome RazorpayProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const InboundEvent& event = stored.event;
    const json& body = stored.body;
    const json payment = body.value("/payload/payment/entity"_json_pointer, json::object());
    const std::string correlation = "razorpay:" + event.provider_event_id;
    const std::string order = StringAt(payment, "/order_id"_json_pointer);
    if (event.event_type == "payment.captured")
        return MovePayment(scope, type(), order, "succeeded", json(), correlation,
                           {AmountField(payment, "amount"), StringAt(payment, "/currency"_json_pointer)},
                           {{"razorpay_payment_id", payment.value("id", "")}});
    if (event.event_type == "order.paid") {
        const json paid_order = body.value("/payload/order/entity"_json_pointer, json::object());
        return MovePayment(scope, type(), StringAt(paid_order, "/id"_json_pointer), "succeeded", json(), correlation,
                           {AmountField(paid_order, "amount_paid"), StringAt(paid_order, "/currency"_json_pointer)});
    }
    if (event.event_type == "payment.failed")
        return MovePayment(scope, type(), order, "failed",
                           {{"error_code", payment.value("error_code", json())},
                            {"error_description", payment.value("error_description", json())}},
                           correlation);
    if (event.event_type == "refund.processed" && payment.value("amount_refunded", 0) >= payment.value("amount", 1))
        return MovePayment(scope, type(), order, "refunded", json(), correlation);
    return IgnoredEvent("Kiln does not act on " + event.event_type);
}

}  // namespace kiln::integrations
