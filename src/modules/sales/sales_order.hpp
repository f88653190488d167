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

namespace kiln::sales {

using SalesOrderId = TypedId<struct SalesOrderIdTag>;

/// draft → confirmed → fulfilled, and draft|confirmed → cancelled (SalesOrderService::Apply).
enum class SalesOrderStatus { kDraft, kConfirmed, kFulfilled, kCancelled };
inline constexpr EnumText<SalesOrderStatus, 4> kSalesOrderStatuses({"draft", "confirmed", "fulfilled", "cancelled"});

/// One product on an order: product_id is always set.
using SalesOrderLine = common::DocumentLine;
/// The rounding is shared with invoices; tests/unit/sales_test.cpp still names it sales::LineTax.
using common::LineTax;

struct SalesOrder {
    SalesOrderId id;
    std::string number;  // "SO-000001"
    customers::CustomerId customer_id;
    std::string currency;
    SalesOrderStatus status = SalesOrderStatus::kDraft;
    std::string source = "manual";
    std::optional<std::string> external_ref;
    std::string notes;
    std::vector<SalesOrderLine> lines;
    Money subtotal;  // in `currency`, like the lines' amounts
    Money tax_total;
    Money total;
    Timestamp created_at;
    Timestamp updated_at;

    bool is_draft() const { return status == SalesOrderStatus::kDraft; }
    /// With its lines; `with_lines = false` for list items.
    nlohmann::json ToJson(bool with_lines = true) const;
};

}  // namespace kiln::sales
