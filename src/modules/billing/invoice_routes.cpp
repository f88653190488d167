#include "modules/billing/invoice_routes.hpp"

#include <algorithm>

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/billing/invoice_repository.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/customers/customer_repository.hpp"
#include "modules/events/event_types.hpp"
#include "modules/ledger/ledger_posting.hpp"
#include "modules/sales/sales_order_repository.hpp"

namespace kiln::billing {

namespace {

const std::vector<std::string> kStatuses = {"draft", "issued", "paid", "void"};

Invoice Existing(http::RequestContext& ctx) {
    auto invoice = InvoiceRepository::Find(ctx.scope(), InvoiceId(ctx.IdParam("id")));
    if (!invoice) throw ctx.NotFoundError();
    return *invoice;
}

/// The invoice, locked until the request commits: changes of status race with payments settling.
Invoice Locked(http::RequestContext& ctx) {
    auto invoice = InvoiceRepository::FindForUpdate(ctx.scope(), InvoiceId(ctx.IdParam("id")));
    if (!invoice) throw ctx.NotFoundError();
    return *invoice;
}

/// Lines typed by hand, priced and taxed like sales order lines.
std::vector<InvoiceLine> ManualLines(const nlohmann::json& body_lines, std::vector<FieldError>& errors) {
    std::vector<InvoiceLine> lines;
    for (size_t i = 0; i < body_lines.size(); ++i) {
        const auto& in = body_lines[i];
        InvoiceLine line{.product_id = std::nullopt,
                         .description = in.at("description"),
                         .quantity = in.at("quantity"),
                         .unit_price = in.at("unit_price"),
                         .tax_rate_bp = in.value("tax_rate_bp", int64_t{0})};
        if (!line.Price()) {
            errors.push_back({"lines[" + std::to_string(i) + "]", "is beyond the range of amounts Kiln can hold"});
            continue;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

void ComputeTotals(Invoice& invoice, std::vector<FieldError>& errors) {
    const auto totals = common::SumLines(invoice.lines, errors);
    invoice.subtotal = totals.subtotal;
    invoice.tax_total = totals.tax_total;
    invoice.total = totals.total;
}

std::optional<Timestamp> DueAt(const nlohmann::json& body, std::vector<FieldError>& errors) {
    if (!body.contains("due_at") || body["due_at"].is_null()) return std::nullopt;
    auto parsed = ParseTimestamp(body["due_at"].get<std::string>());
    if (!parsed) errors.push_back({"due_at", "must be an RFC 3339 date-time"});
    return parsed;
}

http::Response ListInvoices(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const InvoiceFilter filter{.status = ctx.Query("status"),
                               .customer_id = ctx.Query("customer_id"),
                               .sales_order_id = ctx.Query("sales_order_id"),
                               .before_id = page.after_id,
                               .limit = page.limit};
    if (filter.status && std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end())
        throw ValidationError("status", "must be one of draft, issued, paid, void");
    if (filter.customer_id && !IsUuid(*filter.customer_id)) throw ValidationError("customer_id", "must be a UUID");
    if (filter.sales_order_id && !IsUuid(*filter.sales_order_id))
        throw ValidationError("sales_order_id", "must be a UUID");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& invoice : InvoiceRepository::List(ctx.scope(), filter)) items.push_back(invoice.ToJson(false));
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetInvoice(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

/// From a confirmed sales order (customer, currency and lines copied) or typed by hand.
http::Response CreateInvoice(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const Timestamp now = Now();
    Invoice invoice{
        .id = InvoiceId(NewUuidV7()), .notes = body.value("notes", ""), .created_at = now, .updated_at = now};
    std::vector<FieldError> errors;
    invoice.due_at = DueAt(body, errors);
    if (body.contains("sales_order_id")) {
        for (const char* field : {"customer_id", "currency", "lines"})
            if (body.contains(field)) errors.push_back({field, "comes from the sales order; leave it out"});
        const std::string order_id = body["sales_order_id"];
        const auto order = sales::SalesOrderRepository::Find(ctx.scope(), sales::SalesOrderId(order_id));
        if (!order) {
            errors.push_back({"sales_order_id", "does not name a sales order"});
            throw ValidationError(std::move(errors));
        }
        if (!errors.empty()) throw ValidationError(std::move(errors));
        if (order->status != "confirmed" && order->status != "fulfilled")
            throw Conflict("Only confirmed sales orders can be invoiced; this one is " + order->status + ".");
        if (InvoiceRepository::FindOpenForOrder(ctx.scope(), order_id))
            throw Conflict("The sales order already has an invoice that is not void.");
        invoice.sales_order_id = order_id;
        invoice.customer_id = order->customer_id;
        invoice.currency = order->currency;
        invoice.lines = order->lines;
        ComputeTotals(invoice, errors);
    } else {
        for (const char* field : {"customer_id", "currency", "lines"})
            if (!body.contains(field)) errors.push_back({field, "is required without sales_order_id"});
        if (body.contains("customer_id")) {
            invoice.customer_id = body["customer_id"];
            if (!customers::CustomerRepository::Find(ctx.scope(), customers::CustomerId(invoice.customer_id)))
                errors.push_back({"customer_id", "does not name a customer"});
        }
        invoice.currency = body.value("currency", "");
        if (body.contains("lines")) {
            if (body["lines"].empty()) errors.push_back({"lines", "must hold at least one line"});
            invoice.lines = ManualLines(body["lines"], errors);
            ComputeTotals(invoice, errors);
        }
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    invoice.number = common::NextDocumentNumber(ctx.scope(), "INV");
    InvoiceRepository::Insert(ctx.scope(), invoice);
    const auto created = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "create", invoice.id.str(), created, created);
    return http::Response::Json(201, created);
}

void RequireDraft(const Invoice& invoice, const std::string& what) {
    if (invoice.status != "draft")
        throw Conflict("Only draft invoices can be " + what + "; this one is " + invoice.status + ".");
}

http::Response UpdateInvoice(http::RequestContext& ctx) {
    Invoice invoice = Locked(ctx);
    RequireDraft(invoice, "changed");
    const auto& body = ctx.body();
    common::ChangeSet changes(body);
    std::vector<FieldError> errors;
    if (body.contains("customer_id") &&
        !customers::CustomerRepository::Find(ctx.scope(), customers::CustomerId(body["customer_id"])))
        errors.push_back({"customer_id", "does not name a customer"});
    const auto due_at = DueAt(body, errors);
    if (body.contains("lines")) {
        if (body["lines"].empty()) errors.push_back({"lines", "must hold at least one line"});
        const auto lines = ManualLines(body["lines"], errors);
        nlohmann::json shown_lines = common::LinesJson(invoice.lines);
        changes.Set("lines", shown_lines, common::LinesJson(lines));
        invoice.lines = lines;
        ComputeTotals(invoice, errors);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    changes.Apply("customer_id", invoice.customer_id);
    changes.Apply("notes", invoice.notes);
    if (body.contains("due_at")) {
        auto shown = invoice.due_at ? nlohmann::json(FormatTimestamp(*invoice.due_at)) : nlohmann::json(nullptr);
        changes.Set("due_at", shown, due_at ? nlohmann::json(FormatTimestamp(*due_at)) : nlohmann::json(nullptr));
        invoice.due_at = due_at;
    }
    if (!changes.changes().empty()) {
        invoice.updated_at = Now();
        InvoiceRepository::Update(ctx.scope(), invoice, changes.Contains("lines"));
    }
    const nlohmann::json shown = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "update", invoice.id.str(), shown, changes.changes());
    return http::Response::Json(200, shown);
}

http::Response DeleteInvoice(http::RequestContext& ctx) {
    const Invoice invoice = Locked(ctx);
    RequireDraft(invoice, "deleted");
    InvoiceRepository::Delete(ctx.scope(), invoice.id);
    common::RecordChange(ctx, "invoice", "delete", invoice.id.str(), invoice.ToJson(), {{"number", invoice.number}});
    return http::Response::NoContent();
}

/// Dr receivable total / Cr revenue subtotal / Cr tax payable tax, or the reverse when voiding.
void PostInvoice(const db::TenantScope& scope, const Invoice& invoice, bool reverse) {
    ledger::JournalEntryDraft draft{.posted_at = Now(),
                                    .currency = invoice.currency,
                                    .memo = (reverse ? "Void of invoice " : "Invoice ") + invoice.number,
                                    .source_type = "invoice",
                                    .source_id = invoice.id.str(),
                                    .posting_key = "invoice:" + invoice.id.str() + (reverse ? ":void" : ":issued"),
                                    .lines = {}};
    const auto line = [&](std::string_view account, int64_t amount, bool debit, const std::string& memo) {
        if (amount == 0) return;
        if (reverse) debit = !debit;
        draft.lines.push_back({.account_code = std::string(account),
                               .debit = debit ? amount : 0,
                               .credit = debit ? 0 : amount,
                               .memo = memo});
    };
    line(ledger::accounts::kAccountsReceivable, invoice.total, true, "Receivable");
    line(ledger::accounts::kRevenue, invoice.subtotal, false, "Revenue");
    line(ledger::accounts::kTaxPayable, invoice.tax_total, false, "Tax payable");
    if (!draft.lines.empty()) ledger::Post(scope, draft);
}

http::Response IssueInvoice(http::RequestContext& ctx) {
    Invoice invoice = Locked(ctx);
    if (invoice.status != "draft") throw Conflict("A " + invoice.status + " invoice cannot be issued.");
    const nlohmann::json changes = {{"status", {{"from", invoice.status}, {"to", "issued"}}}};
    invoice.status = "issued";
    invoice.issued_at = invoice.updated_at = Now();
    InvoiceRepository::Update(ctx.scope(), invoice, false);
    PostInvoice(ctx.scope(), invoice, false);
    const nlohmann::json shown = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "issue", invoice.id.str(), shown, changes);
    return http::Response::Json(200, shown);
}

http::Response VoidInvoice(http::RequestContext& ctx) {
    Invoice invoice = Locked(ctx);
    if (invoice.status != "draft" && invoice.status != "issued")
        throw Conflict("A " + invoice.status + " invoice cannot be voided.");
    if (invoice.amount_paid > 0) throw Conflict("An invoice with payments cannot be voided; refund them first.");
    const bool was_issued = invoice.status == "issued";
    const nlohmann::json changes = {{"status", {{"from", invoice.status}, {"to", "void"}}}};
    invoice.status = "void";
    invoice.updated_at = Now();
    InvoiceRepository::Update(ctx.scope(), invoice, false);
    if (was_issued) PostInvoice(ctx.scope(), invoice, true);
    const nlohmann::json shown = invoice.ToJson();
    common::RecordChange(ctx, "invoice", "void", invoice.id.str(), shown, changes);
    return http::Response::Json(200, shown);
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
                 .list_filters = {{"status", "string", "draft, issued, paid or void"},
                                  {"customer_id", "string", "Invoices of this customer"},
                                  {"sales_order_id", "string", "The invoices of this sales order"}},
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
}

}  // namespace kiln::billing
