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
    /// Newest first, up to filter.limit + 1 rows (the extra one tells that another page exists).
    static std::vector<Product> List(const db::TenantScope& scope, const ProductFilter& filter);
};

}  // namespace kiln::catalog
