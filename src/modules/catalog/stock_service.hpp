#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "modules/catalog/stock_movement.hpp"
#include "modules/catalog/stock_repository.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::catalog {

/// One product leaving with an order.
struct ShippedLine {
    ProductId product_id;
    int64_t quantity = 0;  // > 0
};

/// The rules of stock, in the caller's transaction: every change of a quantity is a movement written with it; a
/// quantity goes below zero only when the tenant allows it (Conflict otherwise, and nothing is written);
/// product.low_stock is published when a quantity falls to the product's reorder level or below it.
class StockService final {
  public:
    /// Declares product.low_stock.
    static void DeclareEvents(events::EventTypeRegistry& registry);

    static std::vector<StockMovement> List(const db::TenantScope& scope, const StockMovementFilter& filter);
    static bool AllowsNegativeStock(const db::TenantScope& scope);
    static void SetAllowNegativeStock(const db::TenantScope& scope, bool allow);

    /// A person's receipt (positive) or write-off (negative). NotFound when there is no such product.
    static StockMovement Adjust(const db::TenantScope& scope, const ProductId& product, int64_t quantity,
                                const std::string& memo, const std::string& request_id);
    /// Records that a product's quantity was set from `before` to `after` directly (PUT /products/{id}); the
    /// product row is written by the caller.
    static void RecordCount(const db::TenantScope& scope, const ProductId& product, int64_t before, int64_t after);
    /// An order leaving: one fulfillment movement per line, and cost of goods sold posted to the ledger (Dr cost of
    /// goods sold, Cr inventory, at each product's unit cost; posting key "sales_order:<id>:cost_of_goods_sold").
    /// Conflict naming every product that is short, unless negative stock is allowed.
    static std::vector<StockMovement> Ship(const db::TenantScope& scope, const std::string& sales_order_id,
                                           const std::vector<ShippedLine>& lines, const std::string& request_id);
};

}  // namespace kiln::catalog
