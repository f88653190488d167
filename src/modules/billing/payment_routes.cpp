#include "modules/billing/payment_routes.hpp"

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/date_query.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/billing/payment_service.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::billing {

namespace {

const std::vector<std::string> kMethods = {"cash", "bank_transfer", "card", "other"};

Payment Existing(http::RequestContext& ctx) {
    auto payment = PaymentService::Find(ctx.scope(), PaymentId(ctx.IdParam("id")));
    if (!payment) throw ctx.NotFoundError();
    return *payment;
}

http::Response ListPayments(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto created = http::QueryCreatedRange(ctx);
    PaymentFilter filter{.invoice_id = ctx.Query("invoice_id"),
                         .customer_id = ctx.Query("customer_id"),
                         .created_from = created.from,
                         .created_until = created.until,
                         .before_id = page.after_id,
                         .limit = page.limit};
    if (filter.customer_id && !IsUuid(*filter.customer_id)) throw ValidationError("customer_id", "must be a UUID");
    if (const auto status = ctx.Query("status")) {
        filter.status = kPaymentStatuses.Parse(*status);
        if (!filter.status) throw ValidationError("status", "must be one of " + kPaymentStatuses.Describe());
    }
    if (filter.invoice_id && !IsUuid(*filter.invoice_id)) throw ValidationError("invoice_id", "must be a UUID");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& payment : PaymentService::List(ctx.scope(), filter)) items.push_back(payment.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetPayment(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

/// A manual payment succeeded when it is recorded, so it settles its invoice at once. A pending
/// one waits for a gateway (POST /payments/{id}/intent, then the gateway's webhook). The gateway
/// fields are Kiln's alone (the body schema refuses them): a reference the client chose could name
/// another payer's PaymentIntent, which a refund would then pay back in full.
http::Response CreatePayment(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const Timestamp now = Now();
    const bool pending = body.value("status", "succeeded") == "pending";
    Payment payment{.id = PaymentId(NewUuidV7()),
                    .invoice_id = InvoiceId(body.at("invoice_id")),
                    .amount = {body.at("amount"), body.at("currency")},
                    .method = body.at("method"),
                    .gateway = "manual",
                    .gateway_ref = std::nullopt,
                    .gateway_response = std::nullopt,
                    .status = PaymentStatus::kSucceeded,
                    .succeeded_at = now,
                    .refunded_at = std::nullopt,
                    .created_at = now,
                    .updated_at = now};
    if (pending) {
        payment.status = PaymentStatus::kPending;
        payment.succeeded_at.reset();
    }
    const auto effect = PaymentService::Create(ctx.scope(), payment, ctx.request_id());
    const auto created = payment.ToJson();
    nlohmann::json audit = {{"payment", created}};
    if (effect) audit["invoice"] = effect->changes;
    ctx.Audit("payments.create", payment.id.str(), audit);
    return http::Response::Json(201, created);
}

/// A refund of a succeeded payment: `amount` of it, or all that remains. A gateway payment is refunded at the
/// gateway first, with no write transaction open while it answers; the gateway's later refund webhook then finds
/// the payment refunded already and changes nothing. The payment row is locked once writes begin, so two refunds
/// racing for one payment cannot both take the same remainder.
http::Handler RefundPayment(const GatewayRefund& gateway_refund) {
    return [gateway_refund](http::RequestContext& ctx) {
        Payment payment = Existing(ctx);
        if (payment.status != PaymentStatus::kSucceeded)
            throw Conflict("Only succeeded payments can be refunded; this one is " +
                           kPaymentStatuses.String(payment.status) + ".");
        const int64_t amount = ctx.body().value("amount", payment.refundable());
        if (amount > payment.refundable())
            throw ValidationError("amount",
                                  "must be at most what remains to refund, " + std::to_string(payment.refundable()));
        std::optional<nlohmann::json> gateway;
        if (payment.gateway != "manual" && payment.gateway_ref) {
            if (!gateway_refund) throw Conflict("Refunds through " + payment.gateway + " are not available.");
            gateway = gateway_refund(ctx.scope(), payment, amount);
        }
        ctx.BeginWrites();
        const auto refund = PaymentService::Refunded(ctx.scope(), payment.id, amount, gateway, ctx.request_id());
        ctx.Audit("payments.refund", payment.id.str(),
                  {{"payment", refund.changes}, {"invoice", refund.invoice.changes}});
        return http::Response::Json(200, refund.payment.ToJson());
    };
}

http::Schema PaymentBody() {
    return http::Schema::Object()
        .Required("invoice_id", http::Schema::String().Format("uuid"))
        .Required("amount", http::Schema::Integer()
                                .Minimum(1)
                                .Maximum(kMaxUnitPrice)
                                .Description("Minor units of the invoice's currency; at most the amount due"))
        .Required("currency", http::Schema::String().Enum(CurrencyCodes()).Description("The invoice's currency"))
        .Required("method", http::Schema::String().Enum(kMethods))
        .Field("status", http::Schema::String()
                             .Enum({"succeeded", "pending"})
                             .Description("succeeded (the default) settles the invoice now; pending waits for a "
                                          "gateway: POST /payments/{id}/intent"))
        .Field("gateway",
               http::Schema::String().ReadOnly().Description(
                   "manual, or the gateway Kiln created the payment's object at (POST /payments/{id}/intent)"))
        .Field("gateway_ref", http::Schema::String().Nullable().ReadOnly().Description(
                                  "The gateway's object (pi_…, order_…); set only by Kiln"))
        .Field("gateway_response", http::Schema::Object().AnyProperties().Nullable().ReadOnly().Description(
                                       "What the gateway answered, kept as it came"));
}

nlohmann::json PaymentSchema() {
    nlohmann::json schema = PaymentBody().ToJsonSchema();
    schema.erase("required");
    schema["properties"]["status"] = {{"type", "string"},
                                      {"enum", kPaymentStatuses.Names()}};  // every state, not just the creatable
    return schema;
}

}  // namespace

void DeclarePaymentEvents(events::EventTypeRegistry& registry) {
    const nlohmann::json with_payment = {
        {"type", "object"}, {"required", {"payment"}}, {"properties", {{"payment", PaymentSchema()}}}};
    nlohmann::json with_changes = with_payment;
    with_changes["required"].push_back("changes");
    with_changes["properties"]["changes"] = {{"type", "object"}};
    registry.Declare({"payment.succeeded", "A payment succeeded and was applied to its invoice", with_payment});
    registry.Declare({"payment.refunded", "A payment was refunded, in full or in part (data.amount)", with_changes});
    registry.Declare({"payment.failed", "A gateway payment attempt failed", with_payment});
}

void RegisterPaymentRoutes(http::RouteTable& routes, const GatewayRefund& gateway_refund) {
    http::RouteGroup group(routes, "billing", "payments", "payment");
    group.Add({.method = http::Method::kGet,
               .path = "/payments",
               .operation_id = "listPayments",
               .summary = "Payments, newest first",
               .query = {{"invoice_id", "string", "Payments of this invoice"},
                         {"status", "string", kPaymentStatuses.Describe()},
                         {"customer_id", "string", "Payments of this customer's invoices"},
                         {"created_from", "string", "YYYY-MM-DD: created on or after this day"},
                         {"created_until", "string", "YYYY-MM-DD: created on or before this day"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = ListPayments},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/payments",
               .operation_id = "createPayment",
               .summary = "Record a manual payment against an issued invoice",
               .body = PaymentBody(),
               .success_status = 201,
               .creates = true,
               .handler = CreatePayment},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = "/payments/{id}",
               .operation_id = "getPayment",
               .summary = "A payment",
               .handler = GetPayment},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/payments/{id}/refund",
               .operation_id = "refundPayment",
               .summary = "Refund a succeeded payment, all or part of what remains (at its gateway first, for gateway "
                          "payments)",
               .body = http::Schema::Object().Field(
                   "amount", http::Schema::Integer()
                                 .Minimum(1)
                                 .Maximum(kMaxUnitPrice)
                                 .Description("Minor units; at most what remains to refund (the default)")),
               .slow_io = true,
               .handler = RefundPayment(gateway_refund)},
              "update");
}

}  // namespace kiln::billing
