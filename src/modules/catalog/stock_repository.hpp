#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/catalog/stock_movement.hpp"

namespace kiln::catalog {

struct StockMovementFilter {
    std::optional<std::string> product_id;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's stock movements and inventory settings as stored; the rules are StockService's.
class StockRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const StockMovement& movement);
    /// Newest first, up to filter.limit + 1 rows.
    static std::vector<StockMovement> List(const db::TenantScope& scope, const StockMovementFilter& filter);
    static bool ProductHasMovements(const db::TenantScope& scope, const ProductId& product);
    static bool AllowsNegativeStock(const db::TenantScope& scope);
    static void SetAllowNegativeStock(const db::TenantScope& scope, bool allow);
};

}  // namespace kiln::catalog
