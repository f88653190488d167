#include "modules/catalog/product_repository.hpp"

#include "modules/common/text_search.hpp"

namespace kiln::catalog {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO products (tenant_id, id, sku, name, description, unit_price, currency, active, stock_quantity,
                          created_at, updated_at, unit_cost, reorder_level)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12))sql";
constexpr std::string_view kSelectById = R"sql(
    SELECT id, sku, name, description, unit_price, currency, active, stock_quantity, created_at, updated_at,
           unit_cost, reorder_level
    FROM products WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE products SET sku = $3, name = $4, description = $5, unit_price = $6, currency = $7, active = $8,
                        stock_quantity = $9, updated_at = $10, unit_cost = $11, reorder_level = $12
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kAddStock = R"sql(
    UPDATE products SET stock_quantity = stock_quantity + $3, updated_at = $4
    WHERE tenant_id = $1 AND id = $2 RETURNING stock_quantity)sql";
constexpr std::string_view kDelete = "DELETE FROM products WHERE tenant_id = $1 AND id = $2";
// SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE for the same behaviour.
constexpr std::string_view kList = R"sql(
    SELECT id, sku, name, description, unit_price, currency, active, stock_quantity, created_at, updated_at,
           unit_cost, reorder_level
    FROM products
    WHERE tenant_id = $1 AND ($2 IS NULL OR sku LIKE $3 ESCAPE '\' OR name LIKE $2 ESCAPE '\')
      AND ($4 IS NULL OR active = $4) AND ($5 IS NULL OR sku = $5) AND ($6 IS NULL OR id < $6)
    ORDER BY id DESC LIMIT $7)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, sku, name, description, unit_price, currency, active, stock_quantity, created_at, updated_at,
           unit_cost, reorder_level
    FROM products
    WHERE tenant_id = $1 AND ($2::text IS NULL OR sku ILIKE $3::text ESCAPE '\' OR name ILIKE $2 ESCAPE '\')
      AND ($4::boolean IS NULL OR active = $4) AND ($5::text IS NULL OR sku = $5) AND ($6::uuid IS NULL OR id < $6)
    ORDER BY id DESC LIMIT $7)sql";

const common::ExternalRefTable& Refs() {
    static const common::ExternalRefTable table("product_external_refs", "product_id", "product");
    return table;
}

Product From(const db::Row& row) {
    return {.id = ProductId(row.Get<std::string>("id")),
            .sku = row.Get<std::string>("sku"),
            .name = row.Get<std::string>("name"),
            .description = row.Get<std::string>("description"),
            .unit_price = {row.Get<int64_t>("unit_price"), row.Get<std::string>("currency")},
            .active = row.Get<bool>("active"),
            .stock_quantity = row.Get<int64_t>("stock_quantity"),
            .external_refs = {},
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at"),
            .unit_cost = row.Get<int64_t>("unit_cost"),
            .reorder_level = row.GetOptional<int64_t>("reorder_level")};
}

db::Params Columns(const db::TenantScope& scope, const Product& p) {
    return {scope.tenant(),
            p.id,
            p.sku,
            p.name,
            p.description,
            p.unit_price.minor_units,
            p.unit_price.currency,
            p.active,
            p.stock_quantity,
            p.updated_at,
            p.unit_cost,
            p.reorder_level ? db::Param(*p.reorder_level) : db::Param(nullptr)};
}

void ExecUniqueSku(const db::TenantScope& scope, std::string_view sql, const Product& product) {
    try {
        scope.Exec(sql, Columns(scope, product));
    } catch (const db::UniqueViolation&) {
        throw ValidationError("sku", "is already used by another product");
    }
}

}  // namespace

nlohmann::json Product::ToJson() const {
    return {{"id", id.str()},
            {"sku", sku},
            {"name", name},
            {"description", description},
            {"unit_price", unit_price.minor_units},
            {"currency", unit_price.currency},
            {"active", active},
            {"stock_quantity", stock_quantity},
            {"unit_cost", unit_cost},
            {"reorder_level", reorder_level ? nlohmann::json(*reorder_level) : nlohmann::json(nullptr)},
            {"external_refs", external_refs},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

void ProductRepository::Insert(const db::TenantScope& scope, const Product& product) {
    ExecUniqueSku(scope, kInsert, product);
    Refs().Replace(scope, product.id.str(), product.external_refs);
}

std::optional<Product> ProductRepository::Find(const db::TenantScope& scope, const ProductId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    Product product = From(rows.front());
    product.external_refs = Refs().Load(scope, id.str());
    return product;
}

std::optional<Product> ProductRepository::FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                            const std::string& external_id) {
    const auto owner = Refs().FindOwner(scope, source, external_id);
    if (!owner) return std::nullopt;
    return Find(scope, ProductId(*owner));
}

void ProductRepository::Update(const db::TenantScope& scope, const Product& product, bool refs_changed) {
    ExecUniqueSku(scope, kUpdate, product);
    if (refs_changed) Refs().Replace(scope, product.id.str(), product.external_refs);
}

std::optional<int64_t> ProductRepository::AddStock(const db::TenantScope& scope, const ProductId& id, int64_t quantity,
                                                   Timestamp at) {
    const auto rows = scope.Exec(kAddStock, {scope.tenant(), id, quantity, at});
    if (rows.empty()) return std::nullopt;
    return rows.front().Get<int64_t>("stock_quantity");
}

void ProductRepository::Delete(const db::TenantScope& scope, const ProductId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});  // references go with it (ON DELETE CASCADE)
}

std::vector<Product> ProductRepository::List(const db::TenantScope& scope, const ProductFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::optional<std::string> contains;
    std::optional<std::string> prefix;
    if (filter.q) {
        contains = common::LikeSubstring(*filter.q);
        prefix = common::LikePrefix(*filter.q);
    }
    std::vector<Product> products;
    for (const auto& row : scope.Exec(
             sql, {scope.tenant(), contains, prefix, filter.active, filter.sku, filter.before_id, filter.limit + 1}))
        products.push_back(From(row));
    Refs().AttachTo(scope, products);
    return products;
}

}  // namespace kiln::catalog
