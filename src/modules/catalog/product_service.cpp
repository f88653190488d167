#include "modules/catalog/product_service.hpp"

#include <utility>

#include "core/error.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/catalog/stock_service.hpp"

namespace kiln::catalog {

namespace {

template <typename Value>
void Change(nlohmann::json& changes, const char* field, Value& current, const Value& wanted) {
    if (current == wanted) return;
    changes[field] = {{"from", current}, {"to", wanted}};
    current = wanted;
}

}  // namespace

std::optional<Product> ProductService::Find(const db::TenantScope& scope, const ProductId& id) {
    return ProductRepository::Find(scope, id);
}

std::optional<Product> ProductService::FindBySku(const db::TenantScope& scope, const std::string& sku) {
    auto found = ProductRepository::List(scope, {.sku = sku, .limit = 1});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::optional<Product> ProductService::FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                         const std::string& external_id) {
    return ProductRepository::FindByExternalRef(scope, source, external_id);
}

std::vector<Product> ProductService::List(const db::TenantScope& scope, const ProductFilter& filter) {
    return ProductRepository::List(scope, filter);
}

void ProductService::Insert(const db::TenantScope& scope, const Product& product) {
    ProductRepository::Insert(scope, product);
}

void ProductService::Update(const db::TenantScope& scope, const Product& product, bool refs_changed) {
    const auto stored = ProductRepository::Find(scope, product.id);
    ProductRepository::Update(scope, product, refs_changed);
    if (stored) StockService::RecordCount(scope, product.id, stored->stock_quantity, product.stock_quantity);
}

void ProductService::Delete(const db::TenantScope& scope, const ProductId& id) {
    if (StockRepository::ProductHasMovements(scope, id))
        throw Conflict("The product has stock movements; deactivate it instead.");
    ProductRepository::Delete(scope, id);
}

StoreImport ProductService::Import(const db::TenantScope& scope, const StoreProduct& incoming) {
    if (auto existing = FindByExternalRef(scope, incoming.source, incoming.external_id)) {
        nlohmann::json changes = nlohmann::json::object();
        Change(changes, "name", existing->name, incoming.name);
        Change(changes, "unit_price", existing->unit_price.minor_units, incoming.unit_price.minor_units);
        Change(changes, "currency", existing->unit_price.currency, incoming.unit_price.currency);
        if (changes.empty()) return {};
        existing->updated_at = Now();
        Update(scope, *existing, false);
        return {.outcome = StoreImport::Outcome::kUpdated, .product = std::move(existing), .changes = changes};
    }
    if (FindBySku(scope, incoming.sku))
        return {.outcome = StoreImport::Outcome::kSkuTaken, .product = {}, .changes = {}};
    const Timestamp now = Now();
    Product created{.id = ProductId(NewUuidV7()),
                    .sku = incoming.sku,
                    .name = incoming.name,
                    .description = "",
                    .unit_price = incoming.unit_price,
                    .active = true,
                    .stock_quantity = 0,
                    .external_refs = {{incoming.source, incoming.external_id}},
                    .created_at = now,
                    .updated_at = now};
    Insert(scope, created);
    return {.outcome = StoreImport::Outcome::kCreated, .product = std::move(created), .changes = {}};
}

}  // namespace kiln::catalog
