#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/enum_text.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "modules/catalog/product_repository.hpp"

namespace kiln::catalog {

using StockMovementId = TypedId<struct StockMovementIdTag>;

/// Why a quantity moved: an order fulfilled (out), or a person's count or receipt (either way).
enum class StockReason { kFulfillment, kAdjustment };
inline constexpr EnumText<StockReason, 2> kStockReasons({"fulfillment", "adjustment"});

/// One change of a product's quantity; the product's stock_quantity is the sum of its movements (and of what it
/// held before movements were kept).
struct StockMovement {
    StockMovementId id;
    ProductId product_id;
    int64_t quantity = 0;  // positive in, negative out
    int64_t quantity_after = 0;
    StockReason reason = StockReason::kAdjustment;
    std::optional<std::string> source_type;  // "sales_order" for a fulfillment
    std::optional<std::string> source_id;
    std::string memo;
    Timestamp created_at;
    nlohmann::json ToJson() const;
};

}  // namespace kiln::catalog
