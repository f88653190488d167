#include "modules/tenancy/role_repository.hpp"

#include "core/uuid.hpp"

namespace kiln::tenancy {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO roles (tenant_id, id, name, description, permissions, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $6))sql";
constexpr std::string_view kSelectById =
    "SELECT id, name, description, permissions, created_at, updated_at FROM roles WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectByName =
    "SELECT id, name, description, permissions, created_at, updated_at FROM roles WHERE tenant_id = $1 AND name = $2";
constexpr std::string_view kSelectAll =
    "SELECT id, name, description, permissions, created_at, updated_at FROM roles WHERE tenant_id = $1 ORDER BY name";
constexpr std::string_view kUpdate = R"sql(
    UPDATE roles SET name = $3, description = $4, permissions = $5, updated_at = $6
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kDelete = "DELETE FROM roles WHERE tenant_id = $1 AND id = $2";

CustomRole From(const db::Row& row) {
    return {RoleId(row.Get<std::string>("id")),  row.Get<std::string>("name"),
            row.Get<std::string>("description"), row.Get<nlohmann::json>("permissions").get<std::set<std::string>>(),
            row.Get<Timestamp>("created_at"),    row.Get<Timestamp>("updated_at")};
}

std::string PermissionsText(const std::set<std::string>& permissions) {
    return nlohmann::json(permissions).dump();
}

}  // namespace

nlohmann::json CustomRole::ToJson() const {
    return {{"id", id.str()},
            {"name", name},
            {"description", description},
            {"permissions", permissions},
            {"built_in", false},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

CustomRole RoleRepository::Create(const db::TenantScope& scope, const std::string& name, const std::string& description,
                                  const std::set<std::string>& permissions) {
    const Timestamp now = Now();
    CustomRole role{RoleId(NewUuidV7()), name, description, permissions, now, now};
    try {
        scope.Exec(kInsert, {scope.tenant(), role.id, name, description, PermissionsText(permissions), now});
    } catch (const db::UniqueViolation&) {
        throw ValidationError("name", "is already used by another role");
    }
    return role;
}

std::optional<CustomRole> RoleRepository::Find(const db::TenantScope& scope, const RoleId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::optional<CustomRole> RoleRepository::FindByName(const db::TenantScope& scope, const std::string& name) {
    const auto rows = scope.Exec(kSelectByName, {scope.tenant(), name});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void RoleRepository::Update(const db::TenantScope& scope, const CustomRole& role) {
    try {
        scope.Exec(kUpdate, {scope.tenant(), role.id, role.name, role.description, PermissionsText(role.permissions),
                             role.updated_at});
    } catch (const db::UniqueViolation&) {
        throw ValidationError("name", "is already used by another role");
    }
}

void RoleRepository::Delete(const db::TenantScope& scope, const RoleId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});
}

std::vector<CustomRole> RoleRepository::List(const db::TenantScope& scope) {
    std::vector<CustomRole> roles;
    for (const auto& row : scope.Exec(kSelectAll, {scope.tenant()})) roles.push_back(From(row));
    return roles;
}

}  // namespace kiln::tenancy
