#include "modules/billing/invoice_routes.hpp"

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/csv_response.hpp"
#include "http/date_query.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/billing/aged_receivables.hpp"
#include "modules/billing/invoice_service.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::billing {

namespace {

Invoice Existing(http::RequestContext& ctx) {
    auto invoice = InvoiceService::Find(ctx.scope(), InvoiceId(ctx.IdParam("id")));
    if (!invoice) throw ctx.NotFoundError();
    return *invoice;
}

/// The invoice, locked until the request commits: changes of status race with payments settling.
Invoice Locked(http::RequestContext& ctx) {
    auto invoice = InvoiceService::FindForUpdate(ctx.scope(), InvoiceId(ctx.IdParam("id")));
    if (!invoice) throw ctx.NotFoundError();
    return *invoice;
}

/// The validated body's lines.
std::vector<InvoiceLineRequest> LineRequests(const nlohmann::json& body_lines) {
    std::vector<InvoiceLineRequest> lines;
    for (const auto& in : body_lines)
        lines.push_back({.description = in.at("description"),
                         .quantity = in.at("quantity"),
                         .unit_price = in.at("unit_price"),
                         .tax_rate_bp = in.value("tax_rate_bp", int64_t{0})});
    return lines;
}

std::optional<std::string> OptionalText(const nlohmann::json& body, const char* field) {
    if (!body.contains(field) || body[field].is_null()) return std::nullopt;
    return body[field].get<std::string>();
}

template <typename Id>
std::optional<Id> OptionalId(const nlohmann::json& body, const char* field) {
    if (auto text = OptionalText(body, field)) return Id(std::move(*text));
    return std::nullopt;
}

http::Response ListInvoices(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto created = http::QueryCreatedRange(ctx);
    InvoiceFilter filter{.customer_id = ctx.Query("customer_id"),
                         .sales_order_id = ctx.Query("sales_order_id"),
                         .created_from = created.from,
                         .created_until = created.until,
                         .before_id = page.after_id,
                         .limit = page.limit};
    if (const auto status = ctx.Query("status")) {
        filter.status = kInvoiceStatuses.Parse(*status);
        if (!filter.status) throw ValidationError("status", "must be one of " + kInvoiceStatuses.Describe());
    }
    if (filter.customer_id && !IsUuid(*filter.customer_id)) throw ValidationError("customer_id", "must be a UUID");
    if (filter.sales_order_id && !IsUuid(*filter.sales_order_id))
        throw ValidationError("sales_order_id", "must be a UUID");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& invoice : InvoiceService::List(ctx.scope(), filter)) items.push_back(invoice.ToJson(false));
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetInvoice(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

/// From a confirmed sales order (customer, currency and lines copied) or typed by hand.
http::Response CreateInvoice(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    NewInvoice request{.sales_order_id = OptionalId<sales::SalesOrderId>(body, "sales_order_id"),
                       .customer_id = OptionalId<customers::CustomerId>(body, "customer_id"),
                       .currency = OptionalText(body, "currency"),
                       .lines = std::nullopt,
                       .notes = body.value("notes", ""),
                       .due_at = OptionalText(body, "due_at")};
    if (body.contains("lines")) request.lines = LineRequests(body["lines"]);
    const Invoice invoice = InvoiceService::Create(ctx.scope(), request);
    const auto created = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "create", invoice.id.str(), created, created);
    return http::Response::Json(201, created);
}

http::Response UpdateInvoice(http::RequestContext& ctx) {
    Invoice invoice = Locked(ctx);
    const auto& body = ctx.body();
    InvoiceEdit edit;
    if (body.contains("customer_id")) edit.customer_id = customers::CustomerId(body["customer_id"]);
    if (body.contains("notes")) edit.notes = body["notes"];
    if (body.contains("lines")) edit.lines = LineRequests(body["lines"]);
    if (body.contains("due_at")) edit.due_at = OptionalText(body, "due_at");
    const auto changes = InvoiceService::Edit(ctx.scope(), invoice, edit);
    const nlohmann::json shown = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "update", invoice.id.str(), shown, changes);
    return http::Response::Json(200, shown);
}

http::Response DeleteInvoice(http::RequestContext& ctx) {
    const Invoice invoice = Locked(ctx);
    InvoiceService::Delete(ctx.scope(), invoice);
    common::RecordChange(ctx, "invoice", "delete", invoice.id.str(), invoice.ToJson(), {{"number", invoice.number}});
    return http::Response::NoContent();
}

/// POST /invoices/{id}/<verb>: one of InvoiceService's moves.
template <nlohmann::json (*Step)(const db::TenantScope&, Invoice&)>
http::Response Transition(http::RequestContext& ctx, const std::string& verb) {
    Invoice invoice = Locked(ctx);
    const auto changes = Step(ctx.scope(), invoice);
    const nlohmann::json shown = invoice.ToJson();
    common::RecordChange(ctx, "invoice", verb, invoice.id.str(), shown, changes);
    return http::Response::Json(200, shown);
}

http::Response IssueInvoice(http::RequestContext& ctx) {
    return Transition<&InvoiceService::Issue>(ctx, "issue");
}

http::Response VoidInvoice(http::RequestContext& ctx) {
    return Transition<&InvoiceService::Void>(ctx, "void");
}

http::Schema LinesSchema() {
    return http::Schema::ArrayOf(
               http::Schema::Object()
                   .Field("description", http::Schema::String().MinLength(1).MaxLength(500), true)
                   .Field("quantity", common::LineQuantitySchema(), true)
                   .Field("unit_price",
                          http::Schema::Integer().Minimum(0).Maximum(kMaxUnitPrice).Description("Minor units"), true)
                   .Field("tax_rate_bp", common::LineTaxRateSchema()))
        .MaxItems(common::kMaxDocumentLines);
}

http::Schema InvoiceBody(bool create) {
    auto body = http::Schema::Object();
    if (create)
        body.Field("sales_order_id", http::Schema::String().Format("uuid").Description(
                                         "Invoice this confirmed order: customer, currency and lines are copied"))
            .Field("currency", http::Schema::String().Enum(CurrencyCodes()).Description("ISO 4217 code"));
    return body.Field("customer_id", http::Schema::String().Format("uuid"))
        .Field("lines", LinesSchema())
        .Field("notes", http::Schema::String().MaxLength(5000))
        .Field("due_at", http::Schema::String().Format("date-time").Nullable());
}

http::Response GetAgedReceivables(http::RequestContext& ctx) {
    const auto report = AgedReceivables::At(ctx.scope(), http::QueryDayEnd(ctx, "as_of"));
    if (http::WantsCsv(ctx)) return http::CsvResponse(report.ToCsv(), "aged-receivables");
    return http::Response::Json(200, report.ToJson());
}

}  // namespace

void DeclareInvoiceEvents(events::EventTypeRegistry& registry) {
    common::DeclareCrudEvents(registry, "invoice", InvoiceBody(true), {"issue", "void"});
    // Published by payments: the invoice they paid off.
    const nlohmann::json schema = {
        {"type", "object"},
        {"required", {"invoice", "changes"}},
        {"properties", {{"invoice", {{"type", "object"}}}, {"changes", {{"type", "object"}}}}}};
    registry.Declare({"invoice.paid", "An invoice was paid in full", schema});
}

void RegisterInvoiceRoutes(http::RouteTable& routes) {
    common::AddCrudRoutes(
        routes, {.noun = "invoice",
                 .tag = "billing",
                 .list_filters = {{"status", "string", kInvoiceStatuses.Describe()},
                                  {"customer_id", "string", "Invoices of this customer"},
                                  {"sales_order_id", "string", "The invoices of this sales order"},
                                  {"created_from", "string", "YYYY-MM-DD: created on or after this day"},
                                  {"created_until", "string", "YYYY-MM-DD: created on or before this day"}},
                 .create_body = InvoiceBody(true),
                 .update_body = InvoiceBody(false),
                 .list = ListInvoices,
                 .create = CreateInvoice,
                 .get = GetInvoice,
                 .update = UpdateInvoice,
                 .remove = DeleteInvoice,
                 .path = "",
                 .actions = {{"issue", "Issue a draft invoice and post it to the ledger", IssueInvoice},
                             {"void", "Void a draft or unpaid issued invoice, reversing its posting", VoidInvoice}}});
    http::RouteGroup reports(routes, "ledger", "invoices", "invoice");
    reports.Add({.method = http::Method::kGet,
                 .path = "/ledger/reports/aged-receivables",
                 .operation_id = "getAgedReceivables",
                 .summary = "What each customer owes on issued invoices, by days overdue (JSON or CSV)",
                 .query = {{"as_of", "string", "YYYY-MM-DD (default today)"},
                           {"format", "string", "json (default) or csv; or send Accept: text/csv"}},
                 .handler = GetAgedReceivables},
                "read");
}

}  // namespace kiln::billing
