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
    const GatewayEvent gateway_event(stored, type());
    const std::string& kind = stored.event.event_type;
    const json payment = stored.body.value("/payload/payment/entity"_json_pointer, json::object());
    const std::string order = StringAt(payment, "/order_id"_json_pointer);
    if (kind == "payment.captured")
        return gateway_event.MovePayment(order, "succeeded", json(),
                                         {AmountField(payment, "amount"), StringAt(payment, "/currency"_json_pointer)},
                                         {{"razorpay_payment_id", payment.value("id", "")}});
    if (kind == "order.paid") {
        const json paid = stored.body.value("/payload/order/entity"_json_pointer, json::object());
        return gateway_event.MovePayment(StringAt(paid, "/id"_json_pointer), "succeeded", json(),
                                         {AmountField(paid, "amount_paid"), StringAt(paid, "/currency"_json_pointer)});
    }
    if (kind == "payment.failed")
        return gateway_event.MovePayment(order, "failed",
                                         {{"error_code", payment.value("error_code", json())},
                                          {"error_description", payment.value("error_description", json())}});
    if (kind == "refund.processed" && payment.value("amount_refunded", 0) >= payment.value("amount", 1))
        return gateway_event.MovePayment(order, "refunded");
    return IgnoredEvent("Kiln does not act on " + kind);
}

}  // namespace kiln::integrations
