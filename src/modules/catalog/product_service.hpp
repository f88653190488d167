#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "db/database.hpp"
#include "modules/catalog/product_repository.hpp"

namespace kiln::catalog {

/// A product as a store (Shopify) describes it: what a sync may set.
struct StoreProduct {
    std::string source;       // the integration type, e.g. "shopify"
    std::string external_id;  // the store's id of the variant
    std::string sku;
    std::string name;
    Money unit_price;
};

/// What importing a store product did.
struct StoreImport {
    enum class Outcome { kUnchanged, kUpdated, kCreated, kSkuTaken };
    Outcome outcome = Outcome::kUnchanged;
    std::optional<Product> product;  // as saved, for updated and created
    nlohmann::json changes;          // {"name": {from, to}, …} for updated
};

/// What other modules ask of the catalog, in the caller's transaction: sales orders price their lines from a product,
/// store syncs keep products in step with the store. The caller records the audit row and the event.
class ProductService final {
  public:
    static std::optional<Product> Find(const db::TenantScope& scope, const ProductId& id);
    static std::optional<Product> FindBySku(const db::TenantScope& scope, const std::string& sku);
    /// The product a sync knows as `external_id` in `source`, if any.
    static std::optional<Product> FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                    const std::string& external_id);
    static std::vector<Product> List(const db::TenantScope& scope, const ProductFilter& filter);
    /// A SKU or external reference already in use → ValidationError on that field.
    static void Insert(const db::TenantScope& scope, const Product& product);
    /// Writes every column; external references only when `refs_changed`.
    static void Update(const db::TenantScope& scope, const Product& product, bool refs_changed);
    static void Delete(const db::TenantScope& scope, const ProductId& id);

    /// The store's name and price win over Kiln's for a product the store already sent (found by its external
    /// reference); a new one is created active with no stock, unless another product has its SKU.
    static StoreImport Import(const db::TenantScope& scope, const StoreProduct& incoming);
};

}  // namespace kiln::catalog
