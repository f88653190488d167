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

/// draft → issued → paid (payments settle it; a refund makes a paid one issued again), and draft|issued → void while
/// nothing is paid (InvoiceService).
enum class InvoiceStatus { kDraft, kIssued, kPaid, kVoid };
inline constexpr EnumText<InvoiceStatus, 4> kInvoiceStatuses({"draft", "issued", "paid", "void"});

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

    Money amount_due() const { return total - amount_paid; }
    bool is_draft() const { return status == InvoiceStatus::kDraft; }
    nlohmann::json ToJson(bool with_lines = true) const;
};

}  // namespace kiln::billing
