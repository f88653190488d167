#include "modules/billing/invoice_service.hpp"

#include <utility>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "modules/common/draft_document.hpp"
#include "modules/customers/customer_service.hpp"
#include "modules/ledger/ledger_service.hpp"
#include "modules/sales/sales_order_service.hpp"

namespace kiln::billing {

namespace {

/// Lines typed by hand, priced and taxed like sales order lines.
std::vector<InvoiceLine> ManualLines(const std::vector<InvoiceLineRequest>& wanted, std::vector<FieldError>& errors) {
    std::vector<InvoiceLine> lines;
    if (wanted.empty()) errors.push_back({"lines", "must hold at least one line"});
    for (size_t i = 0; i < wanted.size(); ++i) {
        const auto& in = wanted[i];
        InvoiceLine line{.product_id = std::nullopt,
                         .description = in.description,
                         .quantity = in.quantity,
                         .unit_price = in.unit_price,
                         .tax_rate_bp = in.tax_rate_bp};
        if (!line.Price()) {
            errors.push_back({"lines[" + std::to_string(i) + "]", "is beyond the range of amounts Kiln can hold"});
            continue;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

std::optional<Timestamp> DueAt(const std::optional<std::string>& text, std::vector<FieldError>& errors) {
    if (!text) return std::nullopt;
    auto parsed = ParseTimestamp(*text);
    if (!parsed) errors.push_back({"due_at", "must be an RFC 3339 date-time"});
    return parsed;
}

/// The customer, currency and lines of a confirmed (or fulfilled) order that has no invoice yet.
void CopyOrder(const db::TenantScope& scope, const sales::SalesOrderId& order_id, Invoice& invoice,
               std::vector<FieldError>& errors) {
    const auto order = sales::SalesOrderService::Find(scope, order_id);
    if (!order) errors.push_back({"sales_order_id", "does not name a sales order"});
    if (!errors.empty()) throw ValidationError(std::move(errors));
    if (order->status != sales::SalesOrderStatus::kConfirmed && order->status != sales::SalesOrderStatus::kFulfilled)
        throw Conflict("Only confirmed sales orders can be invoiced; this one is " +
                       sales::kSalesOrderStatuses.String(order->status) + ".");
    if (InvoiceRepository::FindOpenForOrder(scope, order_id))
        throw Conflict("The sales order already has an invoice that is not void.");
    invoice.sales_order_id = order_id;
    invoice.customer_id = order->customer_id;
    invoice.currency = order->currency;
    common::SetLines(invoice, std::vector<InvoiceLine>(order->lines), errors);
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
    using P = ledger::PostingPurpose;
    const auto accounts = ledger::LedgerService::PostingAccountsOf(scope);
    line(accounts.of(P::kReceivable), invoice.total.minor_units, true, "Receivable");
    line(accounts.of(P::kRevenue), invoice.subtotal.minor_units, false, "Revenue");
    line(accounts.of(P::kTaxPayable), invoice.tax_total.minor_units, false, "Tax payable");
    if (!draft.lines.empty()) ledger::LedgerService::Post(scope, draft);
}

nlohmann::json ShownTime(const std::optional<Timestamp>& at) {
    return at ? nlohmann::json(FormatTimestamp(*at)) : nlohmann::json(nullptr);
}

nlohmann::json MoveTo(Invoice& invoice, InvoiceStatus to) {
    common::FieldChanges changes;
    changes.Record("status", kInvoiceStatuses.Name(invoice.status), kInvoiceStatuses.Name(to));
    invoice.status = to;
    invoice.updated_at = Now();
    return changes.json();
}

}  // namespace

std::optional<Invoice> InvoiceService::Find(const db::TenantScope& scope, const InvoiceId& id) {
    return InvoiceRepository::Find(scope, id);
}

std::optional<Invoice> InvoiceService::FindForUpdate(const db::TenantScope& scope, const InvoiceId& id) {
    return InvoiceRepository::FindForUpdate(scope, id);
}

std::vector<Invoice> InvoiceService::List(const db::TenantScope& scope, const InvoiceFilter& filter) {
    return InvoiceRepository::List(scope, filter);
}

Invoice InvoiceService::Create(const db::TenantScope& scope, const NewInvoice& request) {
    const Timestamp now = Now();
    Invoice invoice{.id = InvoiceId(NewUuidV7()), .notes = request.notes, .created_at = now, .updated_at = now};
    std::vector<FieldError> errors;
    invoice.due_at = DueAt(request.due_at, errors);
    const std::pair<const char*, bool> copied[] = {{"customer_id", request.customer_id.has_value()},
                                                   {"currency", request.currency.has_value()},
                                                   {"lines", request.lines.has_value()}};
    if (request.sales_order_id) {
        for (const auto& [field, given] : copied)
            if (given) errors.push_back({field, "comes from the sales order; leave it out"});
        CopyOrder(scope, *request.sales_order_id, invoice, errors);
    } else {
        for (const auto& [field, given] : copied)
            if (!given) errors.push_back({field, "is required without sales_order_id"});
        if (request.customer_id) {
            invoice.customer_id = *request.customer_id;
            customers::CustomerService::CheckReference(scope, invoice.customer_id, errors);
        }
        invoice.currency = request.currency.value_or("");
        if (request.lines) common::SetLines(invoice, ManualLines(*request.lines, errors), errors);
    }
    invoice.amount_paid = {0, invoice.currency};
    invoice.amount_credited = {0, invoice.currency};
    common::NumberDraft(scope, invoice, "INV", std::move(errors));
    InvoiceRepository::Insert(scope, invoice);
    return invoice;
}

nlohmann::json InvoiceService::Edit(const db::TenantScope& scope, Invoice& invoice, const InvoiceEdit& edit) {
    common::RequireDraft(invoice.is_draft(), "invoices", kInvoiceStatuses.Name(invoice.status), "changed");
    common::FieldChanges changes;
    std::vector<FieldError> errors;
    if (edit.customer_id) customers::CustomerService::CheckReference(scope, *edit.customer_id, errors);
    const auto due_at = edit.due_at ? DueAt(*edit.due_at, errors) : std::nullopt;
    if (edit.lines) common::ReplaceLines(invoice, ManualLines(*edit.lines, errors), changes, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    if (edit.customer_id) changes.Set("customer_id", invoice.customer_id, *edit.customer_id);
    if (edit.notes) changes.Set("notes", invoice.notes, *edit.notes);
    if (edit.due_at) {
        changes.Record("due_at", ShownTime(invoice.due_at), ShownTime(due_at));
        invoice.due_at = due_at;
    }
    if (!changes.empty()) {
        invoice.updated_at = Now();
        InvoiceRepository::Update(scope, invoice, changes.Contains("lines"));
    }
    return changes.json();
}

void InvoiceService::Delete(const db::TenantScope& scope, const Invoice& invoice) {
    common::RequireDraft(invoice.is_draft(), "invoices", kInvoiceStatuses.Name(invoice.status), "deleted");
    InvoiceRepository::Delete(scope, invoice.id);
}

nlohmann::json InvoiceService::Issue(const db::TenantScope& scope, Invoice& invoice) {
    if (!invoice.is_draft())
        throw Conflict("A " + kInvoiceStatuses.String(invoice.status) + " invoice cannot be issued.");
    auto changes = MoveTo(invoice, InvoiceStatus::kIssued);
    invoice.issued_at = invoice.updated_at;
    InvoiceRepository::Update(scope, invoice, false);
    PostInvoice(scope, invoice, false);
    return changes;
}

nlohmann::json InvoiceService::Void(const db::TenantScope& scope, Invoice& invoice) {
    const bool was_issued = invoice.status == InvoiceStatus::kIssued;
    if (!invoice.is_draft() && !was_issued)
        throw Conflict("A " + kInvoiceStatuses.String(invoice.status) + " invoice cannot be voided.");
    if (invoice.amount_paid.minor_units > 0)
        throw Conflict("An invoice with payments cannot be voided; refund them first.");
    if (invoice.amount_credited.minor_units > 0)
        throw Conflict("An invoice with credit notes cannot be voided; credit what remains instead.");
    auto changes = MoveTo(invoice, InvoiceStatus::kVoid);
    InvoiceRepository::Update(scope, invoice, false);
    if (was_issued) PostInvoice(scope, invoice, true);
    return changes;
}

}  // namespace kiln::billing
