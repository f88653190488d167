#include "modules/billing/invoice_repository.hpp"

#include "core/error.hpp"

namespace kiln::billing {

namespace {

constexpr std::string_view kColumns = R"sql(
    id, number, customer_id, sales_order_id, currency, status, notes, subtotal, tax_total, total, amount_paid,
    issued_at, due_at, created_at, updated_at, amount_credited)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO invoices (tenant_id, id, number, customer_id, sales_order_id, currency, status, notes, subtotal,
                          tax_total, total, amount_paid, issued_at, due_at, created_at, updated_at, amount_credited)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE invoices SET number = $3, customer_id = $4, sales_order_id = $5, currency = $6, status = $7, notes = $8,
                        subtotal = $9, tax_total = $10, total = $11, amount_paid = $12, issued_at = $13,
                        due_at = $14, updated_at = $15, amount_credited = $16
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kDelete = "DELETE FROM invoices WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kOpenForOrder =
    "SELECT id FROM invoices WHERE tenant_id = $1 AND sales_order_id = $2 AND status <> 'void'";
constexpr std::string_view kListWhere = R"sql(
    WHERE tenant_id = $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR customer_id = $3)
      AND ($4 IS NULL OR sales_order_id = $4) AND ($5 IS NULL OR id < $5)
      AND ($7 IS NULL OR created_at >= $7) AND ($8 IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $6)sql";
constexpr std::string_view kListWherePostgres = R"sql(
    WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR customer_id = $3)
      AND ($4::uuid IS NULL OR sales_order_id = $4) AND ($5::uuid IS NULL OR id < $5)
      AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8)
    ORDER BY id DESC LIMIT $6)sql";

Invoice From(const db::Row& row) {
    Invoice invoice{.id = InvoiceId(row.Get<std::string>("id")),
                    .number = row.Get<std::string>("number"),
                    .customer_id = customers::CustomerId(row.Get<std::string>("customer_id")),
                    .sales_order_id = std::nullopt,
                    .currency = row.Get<std::string>("currency"),
                    .status = kInvoiceStatuses.FromStored(row.Get<std::string>("status")),
                    .notes = row.Get<std::string>("notes"),
                    .lines = {},
                    .subtotal = {row.Get<int64_t>("subtotal"), row.Get<std::string>("currency")},
                    .tax_total = {row.Get<int64_t>("tax_total"), row.Get<std::string>("currency")},
                    .total = {row.Get<int64_t>("total"), row.Get<std::string>("currency")},
                    .amount_paid = {row.Get<int64_t>("amount_paid"), row.Get<std::string>("currency")},
                    .issued_at = row.GetOptional<Timestamp>("issued_at"),
                    .due_at = row.GetOptional<Timestamp>("due_at"),
                    .created_at = row.Get<Timestamp>("created_at"),
                    .updated_at = row.Get<Timestamp>("updated_at"),
                    .amount_credited = {row.Get<int64_t>("amount_credited"), row.Get<std::string>("currency")}};
    if (auto order = row.GetOptional<std::string>("sales_order_id"))
        invoice.sales_order_id = sales::SalesOrderId(*order);
    return invoice;
}

db::Params Columns(const db::TenantScope& scope, const Invoice& i, Timestamp at) {
    return {scope.tenant(),
            i.id,
            i.number,
            i.customer_id,
            i.sales_order_id,
            i.currency,
            kInvoiceStatuses.String(i.status),
            i.notes,
            i.subtotal.minor_units,
            i.tax_total.minor_units,
            i.total.minor_units,
            i.amount_paid.minor_units,
            i.issued_at,
            i.due_at,
            at,
            i.amount_credited.minor_units};
}

const common::DocumentLineTable& Lines() {
    static const common::DocumentLineTable table("invoice_lines", "invoice_id");
    return table;
}

nlohmann::json OptionalJson(const std::optional<Timestamp>& v) {
    return v ? nlohmann::json(FormatTimestamp(*v)) : nlohmann::json(nullptr);
}

}  // namespace

InvoiceStatus Invoice::SettledStatus() const {
    if (amount_due().minor_units > 0)
        return amount_paid.minor_units > 0 ? InvoiceStatus::kPartiallyPaid : InvoiceStatus::kIssued;
    return amount_paid.minor_units > 0 ? InvoiceStatus::kPaid : InvoiceStatus::kCredited;
}

void Invoice::MoveToSettledStatus(nlohmann::json& changes) {
    const InvoiceStatus next = SettledStatus();
    if (next == status) return;
    changes["status"] = {{"from", kInvoiceStatuses.Name(status)}, {"to", kInvoiceStatuses.Name(next)}};
    status = next;
}

nlohmann::json Invoice::ToJson(bool with_lines) const {
    nlohmann::json out = {
        {"id", id.str()},
        {"number", number},
        {"customer_id", customer_id.str()},
        {"sales_order_id", sales_order_id ? nlohmann::json(sales_order_id->str()) : nlohmann::json(nullptr)},
        {"currency", currency},
        {"status", kInvoiceStatuses.Name(status)},
        {"notes", notes},
        {"subtotal", subtotal.minor_units},
        {"tax_total", tax_total.minor_units},
        {"total", total.minor_units},
        {"amount_paid", amount_paid.minor_units},
        {"amount_credited", amount_credited.minor_units},
        {"amount_due", amount_due().minor_units},
        {"issued_at", OptionalJson(issued_at)},
        {"due_at", OptionalJson(due_at)},
        {"created_at", FormatTimestamp(created_at)},
        {"updated_at", FormatTimestamp(updated_at)}};
    if (with_lines) out["lines"] = common::LinesJson(lines);
    return out;
}

void InvoiceRepository::Insert(const db::TenantScope& scope, const Invoice& invoice) {
    try {
        scope.Exec(kInsert, Columns(scope, invoice, invoice.created_at));
    } catch (const db::UniqueViolation&) {
        // The number comes from the tenant's sequence; the only other unique key is the order's one open invoice.
        throw Conflict("The sales order already has an invoice that is not void.");
    }
    Lines().Insert(scope, invoice.id.str(), invoice.lines);
}

std::optional<Invoice> InvoiceRepository::Find(const db::TenantScope& scope, const InvoiceId& id) {
    static const std::string kSelectById =
        "SELECT " + std::string(kColumns) + " FROM invoices WHERE tenant_id = $1 AND id = $2";
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    Invoice invoice = From(rows.front());
    invoice.lines = Lines().Load(scope, id.str());
    return invoice;
}

std::optional<Invoice> InvoiceRepository::FindForUpdate(const db::TenantScope& scope, const InvoiceId& id) {
    // SQLite writers are serialised by BEGIN IMMEDIATE; PostgreSQL at READ COMMITTED needs the row lock, or two
    // payments read the same amount_paid and the second write loses the first.
    if (scope.tx().dialect() != db::Dialect::kPostgres) return Find(scope, id);
    static const std::string kLockById = "SELECT id FROM invoices WHERE tenant_id = $1 AND id = $2 FOR UPDATE";
    if (scope.Exec(kLockById, {scope.tenant(), id}).empty()) return std::nullopt;
    return Find(scope, id);
}

std::optional<InvoiceId> InvoiceRepository::FindOpenForOrder(const db::TenantScope& scope,
                                                             const sales::SalesOrderId& sales_order_id) {
    const auto rows = scope.Exec(kOpenForOrder, {scope.tenant(), sales_order_id});
    if (rows.empty()) return std::nullopt;
    return InvoiceId(rows.front().Get<std::string>("id"));
}

void InvoiceRepository::Update(const db::TenantScope& scope, const Invoice& invoice, bool lines_changed) {
    try {
        scope.Exec(kUpdate, Columns(scope, invoice, invoice.updated_at));
    } catch (const db::UniqueViolation&) {
        throw Conflict("The sales order already has an invoice that is not void.");
    }
    if (!lines_changed) return;
    Lines().Replace(scope, invoice.id.str(), invoice.lines);
}

void InvoiceRepository::Delete(const db::TenantScope& scope, const InvoiceId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});  // lines go with it (ON DELETE CASCADE)
}

std::vector<Invoice> InvoiceRepository::List(const db::TenantScope& scope, const InvoiceFilter& filter) {
    const auto where = scope.tx().dialect() == db::Dialect::kPostgres ? kListWherePostgres : kListWhere;
    const std::string sql = "SELECT " + std::string(kColumns) + " FROM invoices " + std::string(where);
    std::optional<std::string> status;
    if (filter.status) status = kInvoiceStatuses.String(*filter.status);
    std::vector<Invoice> invoices;
    for (const auto& row :
         scope.Exec(sql, {scope.tenant(), status, filter.customer_id, filter.sales_order_id, filter.before_id,
                          filter.limit + 1, filter.created_from, filter.created_until}))
        invoices.push_back(From(row));
    return invoices;
}

}  // namespace kiln::billing
