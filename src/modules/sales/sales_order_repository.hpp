#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/sales/sales_order.hpp"

namespace kiln::sales {

struct SalesOrderFilter {
    std::optional<std::string> q;  // part of the number, case-insensitive
    std::optional<SalesOrderStatus> status;
    std::optional<std::string> customer_id;
    std::optional<Timestamp> created_from;   // inclusive
    std::optional<Timestamp> created_until;  // exclusive
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's sales orders with their lines.
class SalesOrderRepository final {
  public:
    /// An (source, external_ref) already used by another order → ValidationError on external_ref.
    static void Insert(const db::TenantScope& scope, const SalesOrder& order);
    static std::optional<SalesOrder> Find(const db::TenantScope& scope, const SalesOrderId& id);
    /// The order a sync brought from `source` as `external_ref`, if any.
    static std::optional<SalesOrder> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                       const std::string& external_ref);
    /// Writes every column; the lines only when `lines_changed`.
    static void Update(const db::TenantScope& scope, const SalesOrder& order, bool lines_changed);
    static void Delete(const db::TenantScope& scope, const SalesOrderId& id);
    /// Newest first, without lines, up to filter.limit + 1 rows (the extra one tells that another page exists).
    static std::vector<SalesOrder> List(const db::TenantScope& scope, const SalesOrderFilter& filter);
};

}  // namespace kiln::sales
