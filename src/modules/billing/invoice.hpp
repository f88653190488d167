#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_text.hpp"
#include "core/ids.hpp"
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
    int64_t subtotal = 0;
    int64_t tax_total = 0;
    int64_t total = 0;
    int64_t amount_paid = 0;
    std::optional<Timestamp> issued_at;
    std::optional<Timestamp> due_at;
    Timestamp created_at;
    Timestamp updated_at;

    int64_t amount_due() const { return total - amount_paid; }
    bool is_draft() const { return status == InvoiceStatus::kDraft; }
    nlohmann::json ToJson(bool with_lines = true) const;
};

}  // namespace kiln::billing
