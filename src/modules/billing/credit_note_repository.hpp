#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/billing/credit_note.hpp"

namespace kiln::billing {

/// What the credit notes of an invoice took off one of its lines so far.
struct CreditedLine {
    int64_t quantity = 0;
    int64_t line_total = 0;
    int64_t line_tax = 0;
};

/// A tenant's credit notes with their lines; the rules are CreditNoteService's.
class CreditNoteRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const CreditNote& note);
    static std::optional<CreditNote> Find(const db::TenantScope& scope, const CreditNoteId& id);
    /// Newest first, with lines, up to limit + 1; only `invoice_id`'s when given.
    static std::vector<CreditNote> List(const db::TenantScope& scope, const std::optional<std::string>& invoice_id,
                                        const std::optional<std::string>& before_id, int64_t limit);
    /// By invoice line position.
    static std::map<int64_t, CreditedLine> CreditedLines(const db::TenantScope& scope, const InvoiceId& invoice);
};

}  // namespace kiln::billing
