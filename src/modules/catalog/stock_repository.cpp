#include "modules/catalog/stock_repository.hpp"

namespace kiln::catalog {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO stock_movements (tenant_id, id, product_id, quantity, quantity_after, reason, source_type, source_id,
                                 memo, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql";
constexpr std::string_view kList = R"sql(
    SELECT id, product_id, quantity, quantity_after, reason, source_type, source_id, memo, created_at
    FROM stock_movements
    WHERE tenant_id = $1 AND ($2 IS NULL OR product_id = $2) AND ($3 IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, product_id, quantity, quantity_after, reason, source_type, source_id, memo, created_at
    FROM stock_movements
    WHERE tenant_id = $1 AND ($2::uuid IS NULL OR product_id = $2) AND ($3::uuid IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kAnyOfProduct =
    "SELECT 1 FROM stock_movements WHERE tenant_id = $1 AND product_id = $2 LIMIT 1";
constexpr std::string_view kSelectSettings = "SELECT allow_negative_stock FROM inventory_settings WHERE tenant_id = $1";
constexpr std::string_view kUpsertSettings = R"sql(
    INSERT INTO inventory_settings (tenant_id, allow_negative_stock) VALUES ($1, $2)
    ON CONFLICT (tenant_id) DO UPDATE SET allow_negative_stock = $2)sql";

}  // namespace

nlohmann::json StockMovement::ToJson() const {
    return {{"id", id.str()},
            {"product_id", product_id.str()},
            {"quantity", quantity},
            {"quantity_after", quantity_after},
            {"reason", kStockReasons.Name(reason)},
            {"source_type", source_type ? nlohmann::json(*source_type) : nlohmann::json(nullptr)},
            {"source_id", source_id ? nlohmann::json(*source_id) : nlohmann::json(nullptr)},
            {"memo", memo},
            {"created_at", FormatTimestamp(created_at)}};
}

void StockRepository::Insert(const db::TenantScope& scope, const StockMovement& m) {
    scope.Exec(kInsert, {scope.tenant(), m.id, m.product_id, m.quantity, m.quantity_after,
                         std::string(kStockReasons.Name(m.reason)), m.source_type, m.source_id, m.memo, m.created_at});
}

std::vector<StockMovement> StockRepository::List(const db::TenantScope& scope, const StockMovementFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::vector<StockMovement> out;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), filter.product_id, filter.before_id, filter.limit + 1}))
        out.push_back({.id = StockMovementId(row.Get<std::string>("id")),
                       .product_id = ProductId(row.Get<std::string>("product_id")),
                       .quantity = row.Get<int64_t>("quantity"),
                       .quantity_after = row.Get<int64_t>("quantity_after"),
                       .reason = kStockReasons.FromStored(row.Get<std::string>("reason")),
                       .source_type = row.GetOptional<std::string>("source_type"),
                       .source_id = row.GetOptional<std::string>("source_id"),
                       .memo = row.Get<std::string>("memo"),
                       .created_at = row.Get<Timestamp>("created_at")});
    return out;
}

bool StockRepository::ProductHasMovements(const db::TenantScope& scope, const ProductId& product) {
    return !scope.Exec(kAnyOfProduct, {scope.tenant(), product}).empty();
}

bool StockRepository::AllowsNegativeStock(const db::TenantScope& scope) {
    const auto rows = scope.Exec(kSelectSettings, {scope.tenant()});
    return !rows.empty() && rows.front().Get<bool>("allow_negative_stock");
}

void StockRepository::SetAllowNegativeStock(const db::TenantScope& scope, bool allow) {
    scope.Exec(kUpsertSettings, {scope.tenant(), allow});
}

}  // namespace kiln::catalog
