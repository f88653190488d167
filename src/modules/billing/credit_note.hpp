#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "modules/billing/invoice.hpp"
#include "modules/common/document_lines.hpp"

namespace kiln::billing {

using CreditNoteId = TypedId<struct CreditNoteIdTag>;

/// A line of a credit note: some of one invoice line's quantity, at its price and tax rate.
struct CreditNoteLine {
    int64_t invoice_line = 0;  // the invoice line's position, from 1
    common::DocumentLine line;
};

/// What was taken off an issued invoice (goods returned, a price corrected): posted as a reversal of the revenue and
/// tax of its lines, and kept on the invoice as amount_credited. Never changed once made.
struct CreditNote {
    CreditNoteId id;
    std::string number;  // "CN-000001"
    InvoiceId invoice_id;
    std::string currency;
    std::string reason;
    std::vector<CreditNoteLine> lines;
    Money subtotal;
    Money tax_total;
    Money total;
    Timestamp created_at;
    nlohmann::json ToJson() const;
};

}  // namespace kiln::billing
