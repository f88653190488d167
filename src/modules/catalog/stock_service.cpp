#include "modules/catalog/stock_service.hpp"

#include <map>

#include "core/error.hpp"
#include "core/money.hpp"
#include "core/uuid.hpp"
#include "modules/catalog/product_repository.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::catalog {

namespace {

struct Moved {
    StockMovement movement;
    Product product;  // as it was before the movement
};

/// Adds `quantity` to the product's stock and writes the movement. Nothing when there is no such product.
std::optional<Moved> Move(const db::TenantScope& scope, const ProductId& id, int64_t quantity, StockReason reason,
                          std::optional<std::string> source_type, std::optional<std::string> source_id,
                          const std::string& memo) {
    auto product = ProductRepository::Find(scope, id);
    if (!product) return std::nullopt;
    const Timestamp now = Now();
    const auto after = ProductRepository::AddStock(scope, id, quantity, now);
    if (!after) return std::nullopt;
    StockMovement movement{.id = StockMovementId(NewUuidV7()),
                           .product_id = id,
                           .quantity = quantity,
                           .quantity_after = *after,
                           .reason = reason,
                           .source_type = std::move(source_type),
                           .source_id = std::move(source_id),
                           .memo = memo,
                           .created_at = now};
    StockRepository::Insert(scope, movement);
    return Moved{std::move(movement), std::move(*product)};
}

/// product.low_stock when this movement took the quantity from above the reorder level to it or below.
void PublishLowStock(const db::TenantScope& scope, const Moved& moved, const std::string& request_id) {
    const auto& level = moved.product.reorder_level;
    const int64_t before = moved.movement.quantity_after - moved.movement.quantity;
    if (!level || before <= *level || moved.movement.quantity_after > *level) return;
    Product now = moved.product;
    now.stock_quantity = moved.movement.quantity_after;
    events::EventOutbox::Record(scope, "product.low_stock", "product:" + now.id.str(),
                                {{"product", now.ToJson()}, {"stock_movement", moved.movement.ToJson()}}, request_id);
}

/// "SKU-1 (would be -3)".
std::string ShortOf(const Product& product, int64_t after) {
    return product.sku + " (would be " + std::to_string(after) + ")";
}

}  // namespace

void StockService::DeclareEvents(events::EventTypeRegistry& registry) {
    registry.Declare({"product.low_stock",
                      "A product's quantity fell to its reorder level or below; data holds the product and the "
                      "movement",
                      {{"type", "object"},
                       {"required", {"product", "stock_movement"}},
                       {"properties", {{"product", {{"type", "object"}}}, {"stock_movement", {{"type", "object"}}}}}}});
}

std::vector<StockMovement> StockService::List(const db::TenantScope& scope, const StockMovementFilter& filter) {
    return StockRepository::List(scope, filter);
}

bool StockService::AllowsNegativeStock(const db::TenantScope& scope) {
    return StockRepository::AllowsNegativeStock(scope);
}

void StockService::SetAllowNegativeStock(const db::TenantScope& scope, bool allow) {
    StockRepository::SetAllowNegativeStock(scope, allow);
}

StockMovement StockService::Adjust(const db::TenantScope& scope, const ProductId& product, int64_t quantity,
                                   const std::string& memo, const std::string& request_id) {
    auto moved = Move(scope, product, quantity, StockReason::kAdjustment, std::nullopt, std::nullopt, memo);
    if (!moved) throw NotFound("No such product.");
    if (moved->movement.quantity_after < 0 && !AllowsNegativeStock(scope))
        throw Conflict("The stock of " + ShortOf(moved->product, moved->movement.quantity_after) +
                       " would fall below zero, which this tenant does not allow.");
    PublishLowStock(scope, *moved, request_id);
    return std::move(moved->movement);
}

void StockService::RecordCount(const db::TenantScope& scope, const ProductId& product, int64_t before, int64_t after) {
    if (before == after) return;
    StockRepository::Insert(scope, {.id = StockMovementId(NewUuidV7()),
                                    .product_id = product,
                                    .quantity = after - before,
                                    .quantity_after = after,
                                    .reason = StockReason::kAdjustment,
                                    .source_type = std::nullopt,
                                    .source_id = std::nullopt,
                                    .memo = "Quantity set on the product",
                                    .created_at = Now()});
}

std::vector<StockMovement> StockService::Ship(const db::TenantScope& scope, const std::string& sales_order_id,
                                              const std::vector<ShippedLine>& lines, const std::string& request_id) {
    const bool allow_negative = AllowsNegativeStock(scope);
    std::vector<Moved> moved;
    std::string short_of;
    std::map<std::string, Money> cost;  // by currency
    for (const auto& line : lines) {
        auto done =
            Move(scope, line.product_id, -line.quantity, StockReason::kFulfillment, "sales_order", sales_order_id, "");
        if (!done) throw Conflict("A product of the order no longer exists.");
        if (done->movement.quantity_after < 0 && !allow_negative)
            short_of += (short_of.empty() ? "" : ", ") + ShortOf(done->product, done->movement.quantity_after);
        const std::string& currency = done->product.unit_price.currency;
        auto [it, _] = cost.try_emplace(currency, Money{0, currency});
        it->second = it->second + Money{done->product.unit_cost, currency} * line.quantity;
        moved.push_back(std::move(*done));
    }
    if (!short_of.empty())
        throw Conflict("Not enough stock to fulfill the order: " + short_of +
                       ". Adjust the stock, or allow "
                       "negative stock in the inventory settings.");

    const auto accounts = ledger::LedgerService::PostingAccountsOf(scope);
    for (const auto& [currency, amount] : cost) {
        if (amount.minor_units == 0) continue;
        std::string key = "sales_order:" + sales_order_id;
        key += ":cost_of_goods_sold:" + currency;
        ledger::LedgerService::Post(scope,
                                    {.posted_at = Now(),
                                     .currency = currency,
                                     .memo = "Cost of goods sold, order " + sales_order_id,
                                     .source_type = "sales_order",
                                     .source_id = sales_order_id,
                                     .posting_key = key,
                                     .lines = {{.account_code = accounts.of(ledger::PostingPurpose::kCostOfGoodsSold),
                                                .debit = amount.minor_units,
                                                .credit = 0,
                                                .memo = "Cost of goods sold"},
                                               {.account_code = accounts.of(ledger::PostingPurpose::kInventory),
                                                .debit = 0,
                                                .credit = amount.minor_units,
                                                .memo = "Inventory"}}},
                                    request_id);
    }
    std::vector<StockMovement> out;
    for (const auto& done : moved) {
        PublishLowStock(scope, done, request_id);
        out.push_back(done.movement);
    }
    return out;
}

}  // namespace kiln::catalog
