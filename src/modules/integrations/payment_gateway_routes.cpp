#include "modules/integrations/payment_gateway_routes.hpp"

#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "modules/billing/invoice_repository.hpp"
#include "modules/billing/payment_repository.hpp"
#include "modules/integrations/providers/razorpay_gateway.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

billing::Payment ExistingPayment(http::RequestContext& ctx, const std::string& id) {
    if (!IsUuid(id)) throw ctx.NotFoundError();
    auto payment = billing::PaymentRepository::Find(ctx.scope(), billing::PaymentId(id));
    if (!payment) throw ctx.NotFoundError();
    return *payment;
}

/// The gateway object is created outside any write transaction (the call may take seconds); its
/// idempotency key is the payment's, so asking twice returns the same object from the gateway.
http::Handler CreateIntent(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const billing::Payment payment = ExistingPayment(ctx, ctx.IdParam("id"));
        if (payment.status != "pending")
            throw Conflict("Only pending payments go through a gateway; this one is " + payment.status + ".");
        const auto& body = ctx.body();
        const auto named =
            body.contains("integration_id") ? std::optional<std::string>(body["integration_id"]) : std::nullopt;
        const Integration integration = service.Choose(ctx.scope(), named, "payments");
        if (payment.gateway_ref && payment.gateway != integration.type)
            throw Conflict("The payment already has a " + payment.gateway + " object, " + *payment.gateway_ref + ".");
        const auto invoice = billing::InvoiceRepository::Find(ctx.scope(), billing::InvoiceId(payment.invoice_id));
        const PaymentIntentRequest request{.payment_id = payment.id.str(),
                                           .invoice_number = invoice ? invoice->number : "",
                                           .amount = payment.amount,
                                           .currency = payment.currency,
                                           .description = invoice ? "Invoice " + invoice->number : "",
                                           .customer_email = "",
                                           .idempotency_key = "kiln-payment-" + payment.id.str()};
        const auto connection = service.ConnectInRequest(ctx.scope().tenant(), integration);
        // Stripe replays a keyed create, so asking again returns the same PaymentIntent. Razorpay orders take no
        // key: the order the payment already has is fetched, never a second one made (the payer may be paying it).
        const bool reuse = payment.gateway_ref && payment.gateway == integration.type && integration.type == "razorpay";
        const GatewayObject object = reuse ? connection->payments().Retrieve(*payment.gateway_ref)
                                           : connection->payments().CreateIntent(request);

        ctx.BeginWrites();
        auto locked = billing::PaymentRepository::FindForUpdate(ctx.scope(), payment.id);
        if (!locked) throw ctx.NotFoundError();
        billing::Payment updated = *locked;
        if (updated.status != "pending")
            throw Conflict("The payment became " + updated.status + " while the gateway was called.");
        updated.gateway = integration.type;
        updated.gateway_ref = object.ref;
        updated.gateway_response = object.response;
        updated.updated_at = Now();
        billing::PaymentRepository::Update(ctx.scope(), updated);
        ctx.Audit(
            "payments.intent", updated.id.str(),
            {{"gateway", updated.gateway}, {"gateway_ref", object.ref}, {"integration_id", integration.id.str()}});
        json shown = {{"payment", updated.ToJson()},
                      {"gateway", {{"type", integration.type}, {"ref", object.ref}, {"status", object.status}}}};
        // For the payer's browser (Stripe.js / Razorpay Checkout); never stored.
        if (object.client_secret) shown["client_secret"] = *object.client_secret;
        if (integration.type == "razorpay") shown["key_id"] = connection->config().Get("key_id");
        return http::Response::Json(200, shown);
    };
}

/// Razorpay Checkout's success callback hands the payer's browser an order id, a payment id and a
/// signature; the signature is checked against the order id Kiln stored, not the one sent.
http::Handler VerifyRazorpay(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        billing::Payment payment = ExistingPayment(ctx, body.at("payment_id"));
        if (payment.gateway != "razorpay" || !payment.gateway_ref)
            throw ValidationError("payment_id", "is not a Razorpay payment (create its intent first)");
        if (body.at("razorpay_order_id") != *payment.gateway_ref)
            throw ValidationError("razorpay_order_id", "is not this payment's order");
        const auto named =
            body.contains("integration_id") ? std::optional<std::string>(body["integration_id"]) : std::nullopt;
        const Integration integration = service.Choose(ctx.scope(), named, "payments");
        if (integration.type != "razorpay")
            throw ValidationError("integration_id",
                                  "must name the Razorpay integration (the default is " + integration.type + ")");
        const auto connection = service.Connect(integration);
        if (!VerifyCheckoutSignature(connection->config(), *payment.gateway_ref, body.at("razorpay_payment_id"),
                                     body.at("razorpay_signature")))
            throw ValidationError("razorpay_signature", "does not match the order and payment");
        if (payment.status == "pending") {
            payment = billing::PaymentRepository::MarkSucceeded(ctx.scope(), payment.id, ctx.request_id());
            json response = payment.gateway_response.value_or(json::object());
            response["razorpay_payment_id"] = body.at("razorpay_payment_id");
            payment.gateway_response = response;
            billing::PaymentRepository::Update(ctx.scope(), payment);
        }
        ctx.Audit("payments.verify", payment.id.str(), {{"gateway", "razorpay"}, {"status", payment.status}});
        return http::Response::Json(200, json{{"verified", true}, {"payment", payment.ToJson()}});
    };
}

}  // namespace

billing::GatewayRefund MakeGatewayRefund(const IntegrationService& service) {
    return [&service](const db::TenantScope& scope, const billing::Payment& payment) {
        const auto integration = service.repository().FindByType(scope, payment.gateway);
        if (!integration)
            throw Conflict("The tenant has no " + payment.gateway + " integration to refund this payment through.");
        // Stripe refunds a PaymentIntent; Razorpay refunds the captured payment, not the order.
        std::string ref = *payment.gateway_ref;
        if (payment.gateway == "razorpay") {
            const auto response = payment.gateway_response.value_or(json::object());
            if (!response.contains("razorpay_payment_id"))
                throw Conflict("The Razorpay payment id of this payment is not known yet; refund it in the Dashboard.");
            ref = response["razorpay_payment_id"].get<std::string>();
        }
        // Exactly the recorded amount, never "whatever is left": the gateway object could carry more than this
        // payment (a reference Kiln did not create), and a refund must not pay out more than Kiln took in.
        const auto refund = service.ConnectInRequest(scope.tenant(), *integration)
                                ->payments()
                                .Refund(ref, payment.amount, "kiln-refund-" + payment.id.str());
        return json{{"ref", refund.ref},
                    {"status", refund.status},
                    {"amount", refund.amount},
                    {"integration_id", integration->id.str()}};
    };
}

void RegisterPaymentGatewayRoutes(http::RouteTable& routes, const IntegrationService& service) {
    routes.Add({.method = http::Method::kPost,
                .path = "/payments/{id}/intent",
                .operation_id = "createPaymentIntent",
                .summary = "Create the gateway object (Stripe PaymentIntent, Razorpay order) of a pending payment",
                .tag = "billing",
                .permission = "payments:create",
                .body = http::Schema::Object().Field("integration_id",
                                                     http::Schema::String().Format("uuid").Description(
                                                         "Default: the tenant's default payments integration")),
                .slow_io = true,
                .entity_type = "payment",
                .handler = CreateIntent(service)});
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
