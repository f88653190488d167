#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/common/field_changes.hpp"

/// The draft stage that sales orders and invoices share. A document is edited, re-lined and deleted only as a
/// draft (what was confirmed or issued is what the customer was promised); its totals are always the sums of its
/// lines; and it is numbered last, after every check, so a refused document uses up no number. `Document` has
/// `lines`, `subtotal`, `tax_total`, `total` and `number`.
namespace kiln::common {

/// Conflict unless the document is a draft: "Only draft <plural> can be <what>; this one is <status>."
void RequireDraft(bool is_draft, std::string_view plural, std::string_view status, std::string_view what);

/// Sets the document's totals from its lines; totals beyond 64 bits are a field error on "lines".
template <typename Document>
void Retotal(Document& document, std::vector<FieldError>& errors) {
    const DocumentTotals totals = SumLines(document.lines, document.currency, errors);
    document.subtotal = totals.subtotal;
    document.tax_total = totals.tax_total;
    document.total = totals.total;
}

/// Sets the document's lines and its totals from them.
template <typename Document>
void SetLines(Document& document, std::vector<DocumentLine>&& lines, std::vector<FieldError>& errors) {
    document.lines = std::move(lines);
    Retotal(document, errors);
}

/// An edit's new lines: replaces them and the totals, recording "lines" in `changes` when they differ.
template <typename Document>
void ReplaceLines(Document& document, std::vector<DocumentLine>&& lines, FieldChanges& changes,
                  std::vector<FieldError>& errors) {
    changes.Record("lines", LinesJson(document.lines), LinesJson(lines));
    SetLines(document, std::move(lines), errors);
}

/// Ends the making of a new draft: ValidationError with every error found, else its number ("SO-000001") from the
/// tenant's sequence, in the caller's transaction.
template <typename Document>
void NumberDraft(const db::TenantScope& scope, Document& document, std::string_view prefix,
                 std::vector<FieldError> errors) {
    if (!errors.empty()) throw ValidationError(std::move(errors));
    document.number = NextDocumentNumber(scope, std::string(prefix));
}

}  // namespace kiln::common
