#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "db/database.hpp"

namespace kiln::sales {

using SalesOrderId = TypedId<struct SalesOrderIdTag>;

/// One product on an order. Amounts are minor units of the order's currency.
struct SalesOrderLine {
    std::string product_id;
    std::string description;
    int64_t quantity = 1;
    int64_t unit_price = 0;
    int64_t tax_rate_bp = 0;  // basis points: 1800 = 18%
    int64_t line_total = 0;   // quantity × unit_price
    int64_t line_tax = 0;     // line_total × tax_rate_bp / 10000, rounded half up
    nlohmann::json ToJson() const;
};

struct SalesOrder {
    SalesOrderId id;
    std::string number;  // "SO-000001"
    std::string customer_id;
    std::string currency;
    std::string status = "draft";
    std::string source = "manual";
    std::optional<std::string> external_ref;
    std::string notes;
    std::vector<SalesOrderLine> lines;
    int64_t subtotal = 0;
    int64_t tax_total = 0;
    int64_t total = 0;
    Timestamp created_at;
    Timestamp updated_at;
    /// With its lines; `with_lines = false` for list items.
    nlohmann::json ToJson(bool with_lines = true) const;
};

struct SalesOrderFilter {
    std::optional<std::string> q;  // part of the number, case-insensitive
    std::optional<std::string> status;
    std::optional<std::string> customer_id;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// The tax of a line: amount × rate_bp / 10000 rounded half up, in integers only (amount ≥ 0,
/// 0 ≤ rate_bp ≤ 10000). Split at 10000 so no intermediate product can overflow.
int64_t LineTax(int64_t amount, int64_t rate_bp);

/// A tenant's sales orders with their lines.
class SalesOrderRepository final {
  public:
    /// An (source, external_ref) already used by another order → ValidationError on external_ref.
    static void Insert(const db::TenantScope& scope, const SalesOrder& order);
    static std::optional<SalesOrder> Find(const db::TenantScope& scope, const SalesOrderId& id);
    /// Writes every column; the lines only when `lines_changed`.
    static void Update(const db::TenantScope& scope, const SalesOrder& order, bool lines_changed);
    static void Delete(const db::TenantScope& scope, const SalesOrderId& id);
    /// Newest first, without lines, up to filter.limit + 1 rows (the extra one tells that another page exists).
    static std::vector<SalesOrder> List(const db::TenantScope& scope, const SalesOrderFilter& filter);
};

}  // namespace kiln::sales
