#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "db/database.hpp"
#include "modules/common/document_lines.hpp"

namespace kiln::sales {

using SalesOrderId = TypedId<struct SalesOrderIdTag>;

/// One product on an order: product_id is always set.
using SalesOrderLine = common::DocumentLine;
/// The rounding is shared with invoices; tests/unit/sales_test.cpp still names it sales::LineTax.
using common::LineTax;

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
