#include "modules/sales/sales_order_repository.hpp"

#include "modules/common/text_search.hpp"

namespace kiln::sales {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO sales_orders (tenant_id, id, number, customer_id, currency, status, source, external_ref, notes,
                              subtotal, tax_total, total, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13))sql";
constexpr std::string_view kSelectById = R"sql(
    SELECT id, number, customer_id, currency, status, source, external_ref, notes, subtotal, tax_total, total,
           created_at, updated_at
    FROM sales_orders WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE sales_orders SET number = $3, customer_id = $4, currency = $5, status = $6, source = $7, external_ref = $8,
                            notes = $9, subtotal = $10, tax_total = $11, total = $12, updated_at = $13
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kSelectByExternalRef =
    "SELECT id FROM sales_orders WHERE tenant_id = $1 AND source = $2 AND external_ref = $3";
constexpr std::string_view kDelete = "DELETE FROM sales_orders WHERE tenant_id = $1 AND id = $2";
// SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE for the same behaviour.
constexpr std::string_view kList = R"sql(
    SELECT id, number, customer_id, currency, status, source, external_ref, notes, subtotal, tax_total, total,
           created_at, updated_at
    FROM sales_orders
    WHERE tenant_id = $1 AND ($2 IS NULL OR number LIKE $2 ESCAPE '\') AND ($3 IS NULL OR status = $3)
      AND ($4 IS NULL OR customer_id = $4) AND ($5 IS NULL OR id < $5)
      AND ($7 IS NULL OR created_at >= $7) AND ($8 IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $6)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, number, customer_id, currency, status, source, external_ref, notes, subtotal, tax_total, total,
           created_at, updated_at
    FROM sales_orders
    WHERE tenant_id = $1 AND ($2::text IS NULL OR number ILIKE $2 ESCAPE '\') AND ($3::text IS NULL OR status = $3)
      AND ($4::uuid IS NULL OR customer_id = $4) AND ($5::uuid IS NULL OR id < $5)
      AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $6)sql";

SalesOrder From(const db::Row& row) {
    return {.id = SalesOrderId(row.Get<std::string>("id")),
            .number = row.Get<std::string>("number"),
            .customer_id = customers::CustomerId(row.Get<std::string>("customer_id")),
            .currency = row.Get<std::string>("currency"),
            .status = kSalesOrderStatuses.FromStored(row.Get<std::string>("status")),
            .source = row.Get<std::string>("source"),
            .external_ref = row.GetOptional<std::string>("external_ref"),
            .notes = row.Get<std::string>("notes"),
            .lines = {},
            .subtotal = {row.Get<int64_t>("subtotal"), row.Get<std::string>("currency")},
            .tax_total = {row.Get<int64_t>("tax_total"), row.Get<std::string>("currency")},
            .total = {row.Get<int64_t>("total"), row.Get<std::string>("currency")},
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at")};
}

db::Params Columns(const db::TenantScope& scope, const SalesOrder& o) {
    return {scope.tenant(),
            o.id,
            o.number,
            o.customer_id,
            o.currency,
            kSalesOrderStatuses.String(o.status),
            o.source,
            o.external_ref,
            o.notes,
            o.subtotal.minor_units,
            o.tax_total.minor_units,
            o.total.minor_units,
            o.updated_at};
}

const common::DocumentLineTable& Lines() {
    static const common::DocumentLineTable table("sales_order_lines", "sales_order_id");
    return table;
}

void ExecUniqueExternalRef(const db::TenantScope& scope, std::string_view sql, const SalesOrder& order) {
    try {
        scope.Exec(sql, Columns(scope, order));
    } catch (const db::UniqueViolation&) {
        // The number comes from the tenant's sequence, so the only unique value a caller chooses
        // is the external reference.
        throw ValidationError("external_ref", "is already used by another order from " + order.source);
    }
}

}  // namespace

nlohmann::json SalesOrder::ToJson(bool with_lines) const {
    nlohmann::json out = {{"id", id.str()},
                          {"number", number},
                          {"customer_id", customer_id.str()},
                          {"currency", currency},
                          {"status", kSalesOrderStatuses.Name(status)},
                          {"source", source},
                          {"external_ref", external_ref ? nlohmann::json(*external_ref) : nlohmann::json(nullptr)},
                          {"notes", notes},
                          {"subtotal", subtotal.minor_units},
                          {"tax_total", tax_total.minor_units},
                          {"total", total.minor_units},
                          {"created_at", FormatTimestamp(created_at)},
                          {"updated_at", FormatTimestamp(updated_at)}};
    if (with_lines) out["lines"] = common::LinesJson(lines);
    return out;
}

void SalesOrderRepository::Insert(const db::TenantScope& scope, const SalesOrder& order) {
    ExecUniqueExternalRef(scope, kInsert, order);
    Lines().Insert(scope, order.id.str(), order.lines);
}

std::optional<SalesOrder> SalesOrderRepository::Find(const db::TenantScope& scope, const SalesOrderId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    SalesOrder order = From(rows.front());
    order.lines = Lines().Load(scope, id.str());
    return order;
}

std::optional<SalesOrder> SalesOrderRepository::FindByExternalRef(const db::TenantScope& scope,
                                                                  const std::string& source,
                                                                  const std::string& external_ref) {
    const auto rows = scope.Exec(kSelectByExternalRef, {scope.tenant(), source, external_ref});
    if (rows.empty()) return std::nullopt;
    return Find(scope, SalesOrderId(rows.front().Get<std::string>("id")));
}

void SalesOrderRepository::Update(const db::TenantScope& scope, const SalesOrder& order, bool lines_changed) {
    ExecUniqueExternalRef(scope, kUpdate, order);
    if (!lines_changed) return;
    Lines().Replace(scope, order.id.str(), order.lines);
}

void SalesOrderRepository::Delete(const db::TenantScope& scope, const SalesOrderId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});  // lines go with it (ON DELETE CASCADE)
}

std::vector<SalesOrder> SalesOrderRepository::List(const db::TenantScope& scope, const SalesOrderFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::optional<std::string> contains;
    if (filter.q) contains = common::LikeSubstring(*filter.q);
    std::optional<std::string> status;
    if (filter.status) status = kSalesOrderStatuses.String(*filter.status);
    std::vector<SalesOrder> orders;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), contains, status, filter.customer_id, filter.before_id,
                                            filter.limit + 1, filter.created_from, filter.created_until}))
        orders.push_back(From(row));
    return orders;
}

}  // namespace kiln::sales
