#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/billing/credit_note.hpp"
#include "modules/billing/credit_note_repository.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::billing {

/// Some of one invoice line to credit.
struct CreditRequestLine {
    int64_t invoice_line = 0;  // position, from 1
    int64_t quantity = 0;
};

/// What a new credit note takes off its invoice: the lines named, or everything not credited yet.
struct NewCreditNote {
    std::optional<std::vector<CreditRequestLine>> lines;
    std::string reason;
};

/// A credit note made, with what it did to its invoice.
struct CreditNoteEffect {
    CreditNote credit_note;
    Invoice invoice;
    nlohmann::json invoice_changes;  // {"amount_credited": {from, to}, "status": {from, to}?}
};

/// The rules of credit notes, in the caller's transaction: only an issued invoice that still has something due is
/// credited; a line is credited at most its invoiced quantity over all notes (its last part takes the rest of the
/// line's tax, so the tax credited never drifts from the tax invoiced by rounding); a note takes off at most what is
/// due (what was paid is refunded instead). Posts Dr revenue and tax payable / Cr receivable.
class CreditNoteService final {
  public:
    /// Declares credit_note.created.
    static void DeclareEvents(events::EventTypeRegistry& registry);
    static std::optional<CreditNote> Find(const db::TenantScope& scope, const CreditNoteId& id);
    static std::vector<CreditNote> List(const db::TenantScope& scope, const std::optional<std::string>& invoice_id,
                                        const std::optional<std::string>& before_id, int64_t limit);
    /// NotFound for an invoice the tenant does not have; Conflict when it takes no credit; ValidationError on lines.
    static CreditNoteEffect Create(const db::TenantScope& scope, const InvoiceId& invoice_id,
                                   const NewCreditNote& request, const std::string& request_id);
};

}  // namespace kiln::billing
