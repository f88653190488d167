#include "modules/billing/payment_repository.hpp"

namespace kiln::billing {

namespace {

constexpr std::string_view kColumns = R"sql(
    id, invoice_id, amount, currency, method, gateway, gateway_ref, gateway_response, status, succeeded_at,
    refunded_at, created_at, updated_at, refunded_amount)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO payments (tenant_id, id, invoice_id, amount, currency, method, gateway, gateway_ref, gateway_response,
                          status, succeeded_at, refunded_at, created_at, updated_at, refunded_amount)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE payments SET invoice_id = $3, amount = $4, currency = $5, method = $6, gateway = $7, gateway_ref = $8,
                        gateway_response = $9, status = $10, succeeded_at = $11, refunded_at = $12, updated_at = $13,
                        refunded_amount = $14
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kListWhere = R"sql(
    WHERE tenant_id = $1 AND ($2 IS NULL OR invoice_id = $2) AND ($3 IS NULL OR status = $3)
      AND ($4 IS NULL OR id < $4)
      AND ($6 IS NULL OR invoice_id IN (SELECT id FROM invoices WHERE tenant_id = $1 AND customer_id = $6))
      AND ($7 IS NULL OR created_at >= $7) AND ($8 IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListWherePostgres = R"sql(
    WHERE tenant_id = $1 AND ($2::uuid IS NULL OR invoice_id = $2) AND ($3::text IS NULL OR status = $3)
      AND ($4::uuid IS NULL OR id < $4)
      AND ($6::uuid IS NULL OR invoice_id IN (SELECT id FROM invoices WHERE tenant_id = $1 AND customer_id = $6))
      AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $5)sql";

Payment From(const db::Row& row) {
    Payment p{.id = PaymentId(row.Get<std::string>("id")),
              .invoice_id = InvoiceId(row.Get<std::string>("invoice_id")),
              .amount = {row.Get<int64_t>("amount"), row.Get<std::string>("currency")},
              .refunded_amount = row.Get<int64_t>("refunded_amount"),
              .method = row.Get<std::string>("method"),
              .gateway = row.Get<std::string>("gateway"),
              .gateway_ref = row.GetOptional<std::string>("gateway_ref"),
              .gateway_response = std::nullopt,
              .status = kPaymentStatuses.FromStored(row.Get<std::string>("status")),
              .succeeded_at = row.GetOptional<Timestamp>("succeeded_at"),
              .refunded_at = row.GetOptional<Timestamp>("refunded_at"),
              .created_at = row.Get<Timestamp>("created_at"),
              .updated_at = row.Get<Timestamp>("updated_at")};
    if (const auto text = row.GetOptional<std::string>("gateway_response"))
        p.gateway_response = nlohmann::json::parse(*text);
    return p;
}

db::Params Columns(const db::TenantScope& scope, const Payment& p, Timestamp at) {
    std::optional<std::string> response;
    if (p.gateway_response) response = p.gateway_response->dump();
    return {scope.tenant(),
            p.id,
            p.invoice_id,
            p.amount.minor_units,
            p.amount.currency,
            p.method,
            p.gateway,
            p.gateway_ref,
            response,
            kPaymentStatuses.String(p.status),
            p.succeeded_at,
            p.refunded_at,
            at,
            p.refunded_amount};
}

nlohmann::json OptionalJson(const std::optional<Timestamp>& v) {
    return v ? nlohmann::json(FormatTimestamp(*v)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json Payment::ToJson() const {
    return {{"id", id.str()},
            {"invoice_id", invoice_id.str()},
            {"amount", amount.minor_units},
            {"currency", amount.currency},
            {"refunded_amount", refunded_amount},
            {"method", method},
            {"gateway", gateway},
            {"gateway_ref", gateway_ref ? nlohmann::json(*gateway_ref) : nlohmann::json(nullptr)},
            {"gateway_response", gateway_response ? *gateway_response : nlohmann::json(nullptr)},
            {"status", kPaymentStatuses.Name(status)},
            {"succeeded_at", OptionalJson(succeeded_at)},
            {"refunded_at", OptionalJson(refunded_at)},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

void PaymentRepository::Insert(const db::TenantScope& scope, const Payment& payment) {
    scope.Exec(kInsert, Columns(scope, payment, payment.created_at));
}

std::optional<Payment> PaymentRepository::Find(const db::TenantScope& scope, const PaymentId& id) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM payments WHERE tenant_id = $1 AND id = $2";
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::optional<Payment> PaymentRepository::FindForUpdate(const db::TenantScope& scope, const PaymentId& id) {
    // SQLite writers are serialised by BEGIN IMMEDIATE; PostgreSQL at READ COMMITTED needs the row lock.
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM payments WHERE tenant_id = $1 AND id = $2 FOR UPDATE";
    if (scope.tx().dialect() != db::Dialect::kPostgres) return Find(scope, id);
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void PaymentRepository::Update(const db::TenantScope& scope, const Payment& payment) {
    scope.Exec(kUpdate, Columns(scope, payment, payment.updated_at));
}

std::vector<Payment> PaymentRepository::List(const db::TenantScope& scope, const PaymentFilter& filter) {
    const auto where = scope.tx().dialect() == db::Dialect::kPostgres ? kListWherePostgres : kListWhere;
    const std::string sql = "SELECT " + std::string(kColumns) + " FROM payments " + std::string(where);
    std::vector<Payment> payments;
    std::optional<std::string> status;
    if (filter.status) status = kPaymentStatuses.String(*filter.status);
    for (const auto& row :
         scope.Exec(sql, {scope.tenant(), filter.invoice_id, status, filter.before_id, filter.limit + 1,
                          filter.customer_id, filter.created_from, filter.created_until}))
        payments.push_back(From(row));
    return payments;
}

std::optional<Payment> PaymentRepository::FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                           const std::string& gateway_ref) {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM payments WHERE tenant_id = $1 AND gateway = $2 AND gateway_ref = $3 LIMIT 1";
    const auto rows = scope.Exec(sql, {scope.tenant(), gateway, gateway_ref});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

}  // namespace kiln::billing
