#include "modules/billing/credit_note_service.hpp"

#include <set>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "modules/billing/invoice_repository.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::billing {

namespace {

/// The lines asked for, or every line's uncredited rest.
std::vector<CreditRequestLine> Wanted(const Invoice& invoice, const std::map<int64_t, CreditedLine>& credited,
                                      const NewCreditNote& request) {
    if (request.lines) return *request.lines;
    std::vector<CreditRequestLine> all;
    for (size_t i = 0; i < invoice.lines.size(); ++i) {
        const auto position = static_cast<int64_t>(i + 1);
        const auto it = credited.find(position);
        const int64_t rest = invoice.lines[i].quantity - (it == credited.end() ? 0 : it->second.quantity);
        if (rest > 0) all.push_back({position, rest});
    }
    return all;
}

/// `quantity` of `invoiced` as a credit line; the last of the line takes exactly what remains of its amounts.
common::DocumentLine CreditLine(const common::DocumentLine& invoiced, const CreditedLine& before, int64_t quantity) {
    common::DocumentLine line = invoiced;
    line.quantity = quantity;
    if (before.quantity + quantity == invoiced.quantity) {
        line.line_total = invoiced.line_total - before.line_total;
        line.line_tax = invoiced.line_tax - before.line_tax;
    } else {
        line.Price();  // within the invoiced line's amounts, so it cannot overflow
    }
    return line;
}

void Post(const db::TenantScope& scope, const CreditNote& note, const std::string& request_id) {
    using P = ledger::PostingPurpose;
    const auto accounts = ledger::LedgerService::PostingAccountsOf(scope);
    ledger::JournalEntryDraft draft{.posted_at = note.created_at,
                                    .currency = note.currency,
                                    .memo = "Credit note " + note.number,
                                    .source_type = "credit_note",
                                    .source_id = note.id.str(),
                                    .posting_key = "credit_note:" + note.id.str(),
                                    .lines = {}};
    if (note.subtotal.minor_units > 0)
        draft.lines.push_back({.account_code = accounts.of(P::kRevenue),
                               .debit = note.subtotal.minor_units,
                               .credit = 0,
                               .memo = "Revenue"});
    if (note.tax_total.minor_units > 0)
        draft.lines.push_back({.account_code = accounts.of(P::kTaxPayable),
                               .debit = note.tax_total.minor_units,
                               .credit = 0,
                               .memo = "Tax payable"});
    draft.lines.push_back({.account_code = accounts.of(P::kReceivable),
                           .debit = 0,
                           .credit = note.total.minor_units,
                           .memo = "Receivable"});
    ledger::LedgerService::Post(scope, draft, request_id);
}

}  // namespace

void CreditNoteService::DeclareEvents(events::EventTypeRegistry& registry) {
    registry.Declare({"credit_note.created",
                      "A credit note took an amount off an issued invoice; data holds it and the invoice's changes",
                      {{"type", "object"},
                       {"required", {"credit_note", "invoice"}},
                       {"properties", {{"credit_note", {{"type", "object"}}}, {"invoice", {{"type", "object"}}}}}}});
}

std::optional<CreditNote> CreditNoteService::Find(const db::TenantScope& scope, const CreditNoteId& id) {
    return CreditNoteRepository::Find(scope, id);
}

std::vector<CreditNote> CreditNoteService::List(const db::TenantScope& scope,
                                                const std::optional<std::string>& invoice_id,
                                                const std::optional<std::string>& before_id, int64_t limit) {
    return CreditNoteRepository::List(scope, invoice_id, before_id, limit);
}

CreditNoteEffect CreditNoteService::Create(const db::TenantScope& scope, const InvoiceId& invoice_id,
                                           const NewCreditNote& request, const std::string& request_id) {
    // Locked, like a payment's invoice: two credits must not both fit in one amount due.
    auto invoice = InvoiceRepository::FindForUpdate(scope, invoice_id);
    if (!invoice) throw NotFound("No such invoice.");
    if (!invoice->is_open())
        throw Conflict("Only issued invoices with something due take credit notes; this one is " +
                       kInvoiceStatuses.String(invoice->status) + ".");
    const auto credited = CreditNoteRepository::CreditedLines(scope, invoice->id);
    const auto wanted = Wanted(*invoice, credited, request);
    if (wanted.empty()) throw Conflict("Every line of the invoice is credited already.");

    CreditNote note{.id = CreditNoteId(NewUuidV7()),
                    .number = {},
                    .invoice_id = invoice->id,
                    .currency = invoice->currency,
                    .reason = request.reason,
                    .lines = {},
                    .subtotal = {0, invoice->currency},
                    .tax_total = {0, invoice->currency},
                    .total = {0, invoice->currency},
                    .created_at = Now()};
    std::vector<FieldError> errors;
    std::set<int64_t> seen;
    for (size_t i = 0; i < wanted.size(); ++i) {
        const auto& [position, quantity] = wanted[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        if (position < 1 || position > static_cast<int64_t>(invoice->lines.size())) {
            errors.push_back({where + ".invoice_line", "is not a line of the invoice"});
            continue;
        }
        if (!seen.insert(position).second) {
            errors.push_back({where + ".invoice_line", "is named twice"});
            continue;
        }
        const auto& invoiced = invoice->lines[static_cast<size_t>(position - 1)];
        const auto it = credited.find(position);
        const CreditedLine before = it == credited.end() ? CreditedLine{} : it->second;
        if (quantity < 1 || quantity > invoiced.quantity - before.quantity) {
            errors.push_back({where + ".quantity", "must be between 1 and the line's uncredited quantity, " +
                                                       std::to_string(invoiced.quantity - before.quantity)});
            continue;
        }
        note.lines.push_back({.invoice_line = position, .line = CreditLine(invoiced, before, quantity)});
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    std::vector<common::DocumentLine> lines;
    for (const auto& l : note.lines) lines.push_back(l.line);
    const auto totals = common::SumLines(lines, note.currency, errors);  // within the invoice's: no overflow
    note.subtotal = totals.subtotal;
    note.tax_total = totals.tax_total;
    note.total = totals.total;
    if (note.total.minor_units > invoice->amount_due().minor_units)
        throw Conflict("The credit note (" + std::to_string(note.total.minor_units) +
                       ") is more than the invoice has "
                       "due (" +
                       std::to_string(invoice->amount_due().minor_units) + "); refund the payments first.");
    if (note.total.minor_units == 0) throw Conflict("The lines credited amount to nothing.");

    note.number = common::NextDocumentNumber(scope, "CN");
    CreditNoteRepository::Insert(scope, note);
    Post(scope, note, request_id);
    nlohmann::json changes = {{"amount_credited",
                               {{"from", invoice->amount_credited.minor_units},
                                {"to", invoice->amount_credited.minor_units + note.total.minor_units}}}};
    invoice->amount_credited = invoice->amount_credited + note.total;
    invoice->MoveToSettledStatus(changes);
    invoice->updated_at = Now();
    InvoiceRepository::Update(scope, *invoice, false);
    events::EventOutbox::Record(scope, "invoice.updated", "invoice:" + invoice->id.str(),
                                {{"invoice", invoice->ToJson()}, {"changes", changes}}, request_id);
    events::EventOutbox::Record(scope, "credit_note.created", "credit_note:" + note.id.str(),
                                {{"credit_note", note.ToJson()}, {"invoice", changes}}, request_id);
    return {.credit_note = std::move(note), .invoice = std::move(*invoice), .invoice_changes = std::move(changes)};
}

}  // namespace kiln::billing
