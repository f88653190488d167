#include "modules/integrations/payment_gateway_routes.hpp"

#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "modules/billing/invoice_service.hpp"
#include "modules/billing/payment_service.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

using nlohmann::json;

billing::Payment RequestedPayment(http::RequestContext& ctx, const std::string& id) {
    if (!IsUuid(id)) throw ctx.NotFoundError();
    auto payment = billing::PaymentService::Find(ctx.scope(), billing::PaymentId(id));
    if (!payment) throw ctx.NotFoundError();
    return *payment;
}

namespace {

/// The gateway object is created outside any write transaction (the call may take seconds); its
/// idempotency key is the payment's, so asking twice returns the same object from the gateway.
http::Handler CreateIntent(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const billing::Payment payment = RequestedPayment(ctx, ctx.IdParam("id"));
        if (payment.status != billing::PaymentStatus::kPending)
            throw Conflict("Only pending payments go through a gateway; this one is " +
                           billing::kPaymentStatuses.String(payment.status) + ".");
        const auto& body = ctx.body();
        const auto named =
            body.contains("integration_id") ? std::optional<std::string>(body["integration_id"]) : std::nullopt;
        const Integration integration = service.Choose(ctx.scope(), named, "payments");
        if (payment.gateway_ref && payment.gateway != integration.type)
            throw Conflict("The payment already has a " + payment.gateway + " object, " + *payment.gateway_ref + ".");
        const auto invoice = billing::InvoiceService::Find(ctx.scope(), payment.invoice_id);
        const PaymentIntentRequest request{.payment_id = payment.id.str(),
                                           .invoice_number = invoice ? invoice->number : "",
                                           .amount = payment.amount.minor_units,
                                           .currency = payment.amount.currency,
                                           .description = invoice ? "Invoice " + invoice->number : "",
                                           .customer_email = "",
                                           .idempotency_key = "kiln-payment-" + payment.id.str()};
        const Provider& provider = Providers().Of(integration.type);
        const auto connection = service.ConnectInRequest(ctx.scope().tenant(), integration);
        // Stripe replays a keyed create, so asking again returns the same PaymentIntent. Razorpay orders take no
        // key: the order the payment already has is fetched, never a second one made (the payer may be paying it).
        const bool reuse = payment.gateway_ref && payment.gateway == integration.type && !provider.ReplaysKeyedCreate();
        const GatewayObject object = reuse ? connection->payments().Retrieve(*payment.gateway_ref)
                                           : connection->payments().CreateIntent(request);

        ctx.BeginWrites();
        const billing::Payment updated = billing::PaymentService::AttachGatewayObject(
            ctx.scope(), payment.id, integration.type, object.ref, object.response);
        ctx.Audit(
            "payments.intent", updated.id.str(),
            {{"gateway", updated.gateway}, {"gateway_ref", object.ref}, {"integration_id", integration.id.str()}});
        json shown = {{"payment", updated.ToJson()},
                      {"gateway", {{"type", integration.type}, {"ref", object.ref}, {"status", object.status}}}};
        // For the payer's browser (Stripe.js / Razorpay Checkout); never stored.
        if (object.client_secret) shown["client_secret"] = *object.client_secret;
        shown.update(provider.CheckoutFields(connection->config()));
        return http::Response::Json(200, shown);
    };
}

/// The idempotency key of one refund: a retried request refunds once; the next part of the payment is another key
/// (the amount refunded before it tells them apart). The first refund of everything keeps the key it always had.
std::string RefundKey(const billing::Payment& payment, int64_t amount) {
    std::string key = "kiln-refund-" + payment.id.str();
    if (payment.refunded_amount == 0 && amount == payment.amount.minor_units) return key;
    key += "-" + std::to_string(payment.refunded_amount) + "-" + std::to_string(amount);
    return key;
}

}  // namespace

billing::GatewayRefund MakeGatewayRefund(const IntegrationService& service) {
    return [&service](const db::TenantScope& scope, const billing::Payment& payment, int64_t amount) {
        const auto integration = service.repository().FindByType(scope, payment.gateway);
        if (!integration)
            throw Conflict("The tenant has no " + payment.gateway + " integration to refund this payment through.");
        // Stripe refunds a PaymentIntent; Razorpay refunds the captured payment, not the order.
        const std::string ref =
            Providers()
                .Of(integration->type)
                .RefundReference(*payment.gateway_ref, payment.gateway_response.value_or(json::object()));
        // Exactly the amount asked for (at most what remains of the recorded payment), never "whatever is left": the
        // gateway object could carry more than this payment (a reference Kiln did not create), and a refund must not
        // pay out more than Kiln took in.
        const auto refund = service.ConnectInRequest(scope.tenant(), *integration)
                                ->payments()
                                .Refund(ref, amount, RefundKey(payment, amount));
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
    for (const auto& provider : Providers().All()) provider->RegisterRoutes(routes, service);
}

}  // namespace kiln::integrations
