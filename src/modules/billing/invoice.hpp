#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_text.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/customers/customer_id.hpp"
#include "modules/sales/sales_order.hpp"

namespace kiln::billing {

using InvoiceId = TypedId<struct InvoiceIdTag>;

/// One line of an invoice; product_id is set when copied from a sales order.
using InvoiceLine = common::DocumentLine;

/// draft → issued, then what payments and credit notes leave due decides: partially_paid (something paid, something
/// due), paid (nothing due, something paid) or credited (nothing due, nothing paid: credit notes took it all); a
/// refund moves it back. draft|issued → void while nothing is paid or credited (InvoiceService).
enum class InvoiceStatus { kDraft, kIssued, kPartiallyPaid, kPaid, kCredited, kVoid };
inline constexpr EnumText<InvoiceStatus, 6> kInvoiceStatuses({"draft", "issued", "partially_paid", "paid", "credited",
                                                              "void"});

struct Invoice {
    InvoiceId id;
    std::string number;  // "INV-000001"
    customers::CustomerId customer_id;
    std::optional<sales::SalesOrderId> sales_order_id;
    std::string currency;
    InvoiceStatus status = InvoiceStatus::kDraft;
    std::string notes;
    std::vector<InvoiceLine> lines;
    Money subtotal;  // in `currency`, like the lines' amounts
    Money tax_total;
    Money total;
    Money amount_paid;
    std::optional<Timestamp> issued_at;
    std::optional<Timestamp> due_at;
    Timestamp created_at;
    Timestamp updated_at;

    Money amount_credited;  // what credit notes took off it
    Money amount_due() const { return total - amount_paid - amount_credited; }
    bool is_draft() const { return status == InvoiceStatus::kDraft; }
    /// Issued and not yet settled: it takes payments and credit notes.
    bool is_open() const { return status == InvoiceStatus::kIssued || status == InvoiceStatus::kPartiallyPaid; }
    /// The status an issued invoice's amounts give it (issued, partially_paid, paid or credited).
    InvoiceStatus SettledStatus() const;
    /// Moves to SettledStatus(), recording the move in `changes` ({"status": {from, to}}) when there is one.
    void MoveToSettledStatus(nlohmann::json& changes);
    nlohmann::json ToJson(bool with_lines = true) const;
};

}  // namespace kiln::billing
