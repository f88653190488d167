#include "modules/customers/customer_repository.hpp"

#include "modules/common/text_search.hpp"

namespace kiln::customers {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO customers (tenant_id, id, name, email, phone, billing_address, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7))sql";
constexpr std::string_view kSelectById = R"sql(
    SELECT id, name, email, phone, billing_address, created_at, updated_at
    FROM customers WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE customers SET name = $3, email = $4, phone = $5, billing_address = $6, updated_at = $7
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kDelete = "DELETE FROM customers WHERE tenant_id = $1 AND id = $2";
// SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE for the same behaviour.
constexpr std::string_view kList = R"sql(
    SELECT id, name, email, phone, billing_address, created_at, updated_at FROM customers
    WHERE tenant_id = $1 AND ($2 IS NULL OR name LIKE $2 ESCAPE '\' OR email LIKE $2 ESCAPE '\')
      AND ($3 IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, name, email, phone, billing_address, created_at, updated_at FROM customers
    WHERE tenant_id = $1 AND ($2::text IS NULL OR name ILIKE $2 ESCAPE '\' OR email ILIKE $2 ESCAPE '\')
      AND ($3::uuid IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";

const common::ExternalRefTable& Refs() {
    static const common::ExternalRefTable table("customer_external_refs", "customer_id", "customer");
    return table;
}

Customer From(const db::Row& row) {
    return {.id = CustomerId(row.Get<std::string>("id")),
            .name = row.Get<std::string>("name"),
            .email = row.GetOptional<std::string>("email"),
            .phone = row.GetOptional<std::string>("phone"),
            .billing_address = row.Get<nlohmann::json>("billing_address"),
            .external_refs = {},
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at")};
}

db::Params Columns(const db::TenantScope& scope, const Customer& c) {
    return {scope.tenant(), c.id, c.name, c.email, c.phone, c.billing_address.dump(), c.updated_at};
}

}  // namespace

nlohmann::json Customer::ToJson() const {
    return {{"id", id.str()},
            {"name", name},
            {"email", email ? nlohmann::json(*email) : nlohmann::json(nullptr)},
            {"phone", phone ? nlohmann::json(*phone) : nlohmann::json(nullptr)},
            {"billing_address", billing_address},
            {"external_refs", external_refs},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

void CustomerRepository::Insert(const db::TenantScope& scope, const Customer& customer) {
    scope.Exec(kInsert, Columns(scope, customer));
    Refs().Replace(scope, customer.id.str(), customer.external_refs);
}

std::optional<Customer> CustomerRepository::Find(const db::TenantScope& scope, const CustomerId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    Customer customer = From(rows.front());
    customer.external_refs = Refs().Load(scope, id.str());
    return customer;
}

std::optional<Customer> CustomerRepository::FindByExternalRef(const db::TenantScope& scope, const std::string& source,
                                                              const std::string& external_id) {
    const auto owner = Refs().FindOwner(scope, source, external_id);
    if (!owner) return std::nullopt;
    return Find(scope, CustomerId(*owner));
}

void CustomerRepository::Update(const db::TenantScope& scope, const Customer& customer, bool refs_changed) {
    scope.Exec(kUpdate, Columns(scope, customer));
    if (refs_changed) Refs().Replace(scope, customer.id.str(), customer.external_refs);
}

void CustomerRepository::Delete(const db::TenantScope& scope, const CustomerId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});  // references go with it (ON DELETE CASCADE)
}

std::vector<Customer> CustomerRepository::List(const db::TenantScope& scope, const CustomerFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    const auto contains = filter.q ? std::optional(common::LikeSubstring(*filter.q)) : std::nullopt;
    std::vector<Customer> customers;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), contains, filter.before_id, filter.limit + 1}))
        customers.push_back(From(row));
    Refs().AttachTo(scope, customers);
    return customers;
}

}  // namespace kiln::customers
