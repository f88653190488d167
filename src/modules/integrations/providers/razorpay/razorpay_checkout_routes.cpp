#include "modules/integrations/providers/razorpay/razorpay_checkout_routes.hpp"

#include "http/request_context.hpp"
#include "modules/billing/payment_service.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/integrations/payment_gateway_routes.hpp"
#include "modules/integrations/providers/razorpay/razorpay_gateway.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr const char* kRazorpay = "razorpay";

/// Razorpay Checkout's success callback hands the payer's browser an order id, a payment id and a
/// signature; the signature is checked against the order id Kiln stored, not the one sent.
http::Handler VerifyRazorpay(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        billing::Payment payment = RequestedPayment(ctx, body.at("payment_id"));
        if (payment.gateway != kRazorpay || !payment.gateway_ref)
            throw ValidationError("payment_id", "is not a Razorpay payment (create its intent first)");
        if (body.at("razorpay_order_id") != *payment.gateway_ref)
            throw ValidationError("razorpay_order_id", "is not this payment's order");
        const auto named =
            body.contains("integration_id") ? std::optional<std::string>(body["integration_id"]) : std::nullopt;
        const Integration integration = service.Choose(ctx.scope(), named, "payments");
        if (integration.type != kRazorpay)
            throw ValidationError("integration_id",
                                  "must name the Razorpay integration (the default is " + integration.type + ")");
        const auto connection = service.Connect(integration);
        if (!VerifyCheckoutSignature(connection->config(), *payment.gateway_ref, body.at("razorpay_payment_id"),
                                     body.at("razorpay_signature")))
            throw ValidationError("razorpay_signature", "does not match the order and payment");
        if (payment.status == billing::PaymentStatus::kPending) {
            payment = billing::PaymentService::MarkSucceeded(ctx.scope(), payment.id, ctx.request_id());
            payment = billing::PaymentService::NoteGatewayResponse(
                ctx.scope(), payment.id, {{"razorpay_payment_id", body.at("razorpay_payment_id")}});
        }
        ctx.Audit("payments.verify", payment.id.str(),
                  {{"gateway", kRazorpay}, {"status", billing::kPaymentStatuses.Name(payment.status)}});
        return http::Response::Json(200, json{{"verified", true}, {"payment", payment.ToJson()}});
    };
}

}  // namespace

void RegisterRazorpayCheckoutRoutes(http::RouteTable& routes, const IntegrationService& service) {
    routes.Add({.method = http::Method::kPost,
                .path = "/payments/razorpay/verify",
                .operation_id = "verifyRazorpayPayment",
                .summary = "Verify a Razorpay Checkout payment signature and settle the payment",
                .tag = "billing",
                .permission = "payments:update",
                .body = http::Schema::Object()
                            .Required("payment_id", http::Schema::String().Format("uuid"))
                            .Required("razorpay_order_id", http::Schema::String().MinLength(1).MaxLength(100))
                            .Required("razorpay_payment_id", http::Schema::String().MinLength(1).MaxLength(100))
                            .Required("razorpay_signature", http::Schema::String().MinLength(1).MaxLength(200))
                            .Field("integration_id", http::Schema::String().Format("uuid")),
                .entity_type = "payment",
                .handler = VerifyRazorpay(service)});
}

}  // namespace kiln::integrations
