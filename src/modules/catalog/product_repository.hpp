#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/money.hpp"
#include "db/database.hpp"
#include "modules/common/external_refs.hpp"

namespace kiln::catalog {

using ProductId = TypedId<struct ProductIdTag>;

/// The most of one product a tenant may hold (and owe, when stock may go below zero): far above any real stock,
/// far enough below INT64_MAX that movements cannot overflow it.
inline constexpr int64_t kMaxStockQuantity = 1'000'000'000'000;

struct Product {
    ProductId id;
    std::string sku;
    std::string name;
    std::string description;
    Money unit_price;
    bool active = true;
    int64_t stock_quantity = 0;
    std::vector<common::ExternalRef> external_refs;
    Timestamp created_at;
    Timestamp updated_at;
    int64_t unit_cost = 0;                 // minor units of the price's currency: what one costs the tenant
    std::optional<int64_t> reorder_level;  // product.low_stock when the quantity falls to it or below
    nlohmann::json ToJson() const;
};

struct ProductFilter {
    std::optional<std::string> q;  // SKU prefix or name substring, case-insensitive
    std::optional<bool> active;
    std::optional<std::string> sku;  // exact
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's products with their external references.
class ProductRepository final {
  public:
    /// A SKU or external reference already in use → ValidationError on that field.
    static void Insert(const db::TenantScope& scope, const Product& product);
    static std::optional<Product> Find(const db::TenantScope& scope, const ProductId& id);
    /// The product a sync knows as `external_id` in `source`, if any.
    static std::optional<Product> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                    const std::string& external_id);
    /// Writes every column; external references only when `refs_changed`.
    static void Update(const db::TenantScope& scope, const Product& product, bool refs_changed);
    static void Delete(const db::TenantScope& scope, const ProductId& id);
    /// Adds `quantity` (negative to take) to the stored quantity in one statement, so concurrent movements add up;
    /// the quantity after it, or nothing when there is no such product.
    static std::optional<int64_t> AddStock(const db::TenantScope& scope, const ProductId& id, int64_t quantity,
                                           Timestamp at);
    /// Newest first, up to filter.limit + 1 rows (the extra one tells that another page exists).
    static std::vector<Product> List(const db::TenantScope& scope, const ProductFilter& filter);
};

}  // namespace kiln::catalog
