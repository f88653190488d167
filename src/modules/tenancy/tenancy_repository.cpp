#include "modules/tenancy/tenancy_repository.hpp"

#include <algorithm>
#include <cctype>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "core/uuid.hpp"
#include "modules/audit/audit_repository.hpp"

namespace kiln::tenancy {

namespace {

constexpr std::string_view kInsertTenant = "INSERT INTO tenants (id, name, slug, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kSelectTenant =
    "SELECT id, name, slug, created_at, use_platform_credentials FROM tenants WHERE id = $1";
constexpr std::string_view kSelectTenantBySlug =
    "SELECT id, name, slug, created_at, use_platform_credentials FROM tenants WHERE slug = $1";
constexpr std::string_view kRenameTenant = "UPDATE tenants SET name = $2 WHERE id = $1";
constexpr std::string_view kSetUsePlatformCredentials =
    "UPDATE tenants SET use_platform_credentials = $2 WHERE id = $1";
constexpr std::string_view kListTenants = R"sql(
    SELECT id, name, slug, created_at, use_platform_credentials FROM tenants
    WHERE ($1 IS NULL OR id < $1) ORDER BY id DESC LIMIT $2)sql";
constexpr std::string_view kListTenantsPostgres = R"sql(
    SELECT id, name, slug, created_at, use_platform_credentials FROM tenants
    WHERE ($1::uuid IS NULL OR id < $1) ORDER BY id DESC LIMIT $2)sql";

constexpr std::string_view kInsertUser = R"sql(
    INSERT INTO users (id, email, name, password_hash, is_platform_admin, is_active, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";
constexpr std::string_view kSelectUserByEmail =
    "SELECT id, email, name, is_platform_admin, created_at FROM users WHERE email = $1";
constexpr std::string_view kUpdatePasswordHash = "UPDATE users SET password_hash = $2 WHERE id = $1";
constexpr std::string_view kSelectPasswordHash = "SELECT password_hash FROM users WHERE id = $1 AND is_active = $2";

constexpr std::string_view kInsertMember =
    "INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kSelectMemberRole = "SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2";
constexpr std::string_view kUpdateMemberRole = "UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2";
constexpr std::string_view kDeleteMember = "DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2";
constexpr std::string_view kRenameRole = "UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND role = $2";
constexpr std::string_view kCountRole = "SELECT COUNT(*) AS n FROM memberships WHERE tenant_id = $1 AND role = $2";
constexpr std::string_view kListMembers = R"sql(
    SELECT u.id, u.email, u.name, m.role, m.created_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = $1 AND ($2 IS NULL OR u.id < $2)
    ORDER BY u.id DESC LIMIT $3)sql";
constexpr std::string_view kListMembersPostgres = R"sql(
    SELECT u.id, u.email, u.name, m.role, m.created_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = $1 AND ($2::uuid IS NULL OR u.id < $2)
    ORDER BY u.id DESC LIMIT $3)sql";
constexpr std::string_view kSelectMember = R"sql(
    SELECT u.id, u.email, u.name, m.role, m.created_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.tenant_id = $1 AND m.user_id = $2)sql";
constexpr std::string_view kTenantsOfUser = R"sql(
    SELECT t.id, t.name, t.slug, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id = $1 ORDER BY t.slug)sql";

Tenant TenantFrom(const db::Row& row) {
    return {TenantId(row.Get<std::string>("id")), row.Get<std::string>("name"), row.Get<std::string>("slug"),
            row.Get<Timestamp>("created_at"), row.Get<bool>("use_platform_credentials")};
}

bool IsPostgres(const db::Transaction& tx) {
    return tx.dialect() == db::Dialect::kPostgres;
}

nlohmann::json MemberFrom(const db::Row& row) {
    return {{"id", row.Get<std::string>("id")},       {"user_id", row.Get<std::string>("id")},
            {"email", row.Get<std::string>("email")}, {"name", row.Get<std::string>("name")},
            {"role", row.Get<std::string>("role")},   {"joined_at", FormatTimestamp(row.Get<Timestamp>("created_at"))}};
}

}  // namespace

nlohmann::json Tenant::ToJson() const {
    return {{"id", id.str()},
            {"name", name},
            {"slug", slug},
            {"use_platform_credentials", use_platform_credentials},
            {"created_at", FormatTimestamp(created_at)}};
}

nlohmann::json User::ToJson() const {
    return {{"id", id.str()},
            {"email", email},
            {"name", name},
            {"is_platform_admin", is_platform_admin},
            {"created_at", FormatTimestamp(created_at)}};
}

std::string SlugFromName(const std::string& name) {
    std::string slug;
    for (unsigned char c : name) {
        if (std::isalnum(c)) {
            slug.push_back(static_cast<char>(std::tolower(c)));
        } else if (!slug.empty() && slug.back() != '-') {
            slug.push_back('-');
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.size() > 63) slug.resize(63);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug.empty() ? "tenant" : slug;
}

Tenant TenancyRepository::CreateTenant(db::Transaction& tx, const std::string& name, const std::string& slug) {
    Tenant tenant{TenantId(NewUuidV7()), name, slug, Now()};
    try {
        tx.Exec(kInsertTenant, {tenant.id, tenant.name, tenant.slug, tenant.created_at});
    } catch (const db::UniqueViolation&) {
        throw ValidationError("slug", "is already taken by another tenant");
    }
    audit::AuditRepository::StartChain(tx, tenant.id);
    return tenant;
}

std::optional<Tenant> TenancyRepository::FindTenant(db::Transaction& tx, const TenantId& id) {
    const auto rows = tx.Exec(kSelectTenant, {id});
    if (rows.empty()) return std::nullopt;
    return TenantFrom(rows.front());
}

std::optional<Tenant> TenancyRepository::FindTenantBySlug(db::Transaction& tx, const std::string& slug) {
    const auto rows = tx.Exec(kSelectTenantBySlug, {slug});
    if (rows.empty()) return std::nullopt;
    return TenantFrom(rows.front());
}

void TenancyRepository::RenameTenant(const db::TenantScope& scope, const std::string& name) {
    scope.Exec(kRenameTenant, {scope.tenant(), name});
}

void TenancyRepository::SetUsePlatformCredentials(db::Transaction& tx, const TenantId& id, bool use) {
    tx.Exec(kSetUsePlatformCredentials, {id, use});
}

nlohmann::json TenancyRepository::ListTenants(db::Transaction& tx, const std::optional<std::string>& before_id,
                                              int64_t limit) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : tx.Exec(IsPostgres(tx) ? kListTenantsPostgres : kListTenants, {before_id, limit + 1}))
        items.push_back(TenantFrom(row).ToJson());
    return items;
}

User TenancyRepository::CreateUser(db::Transaction& tx, const std::string& email, const std::string& name,
                                   const std::string& password, bool platform_admin) {
    return InsertUser(tx, email, name, crypto::HashPassword(password), platform_admin);
}

User TenancyRepository::CreateUserWithPasswordHash(db::Transaction& tx, const std::string& email,
                                                   const std::string& name, const std::string& password_hash) {
    return InsertUser(tx, email, name, password_hash, false);
}

void TenancyRepository::SetPasswordHash(db::Transaction& tx, const UserId& user, const std::string& password_hash) {
    tx.Exec(kUpdatePasswordHash, {user, password_hash});
}

User TenancyRepository::InsertUser(db::Transaction& tx, const std::string& email, const std::string& name,
                                   const std::string& password_hash, bool platform_admin) {
    User user{UserId(NewUuidV7()), strings::ToLower(email), name, platform_admin, Now()};
    try {
        tx.Exec(kInsertUser, {user.id, user.email, user.name, password_hash, platform_admin, true, user.created_at});
    } catch (const db::UniqueViolation&) {
        throw ValidationError("email", "is already registered");
    }
    return user;
}

std::optional<User> TenancyRepository::FindUserByEmail(db::Transaction& tx, const std::string& email) {
    const auto rows = tx.Exec(kSelectUserByEmail, {strings::ToLower(email)});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    return User{UserId(row.Get<std::string>("id")), row.Get<std::string>("email"), row.Get<std::string>("name"),
                row.Get<bool>("is_platform_admin"), row.Get<Timestamp>("created_at")};
}

std::optional<std::string> TenancyRepository::PasswordHash(db::Transaction& tx, const UserId& user) {
    const auto rows = tx.Exec(kSelectPasswordHash, {user, true});
    if (rows.empty()) return std::nullopt;
    return rows.front().Get<std::string>("password_hash");
}

void TenancyRepository::AddMember(const db::TenantScope& scope, const UserId& user, const std::string& role) {
    try {
        scope.Exec(kInsertMember, {scope.tenant(), user, role, Now()});
    } catch (const db::UniqueViolation&) {
        throw Conflict("This user is already a member of the tenant.");
    }
}

std::optional<std::string> TenancyRepository::MemberRole(const db::TenantScope& scope, const UserId& user) {
    const auto rows = scope.Exec(kSelectMemberRole, {scope.tenant(), user});
    if (rows.empty()) return std::nullopt;
    return rows.front().Get<std::string>("role");
}

void TenancyRepository::SetMemberRole(const db::TenantScope& scope, const UserId& user, const std::string& role) {
    scope.Exec(kUpdateMemberRole, {scope.tenant(), user, role});
}

void TenancyRepository::RemoveMember(const db::TenantScope& scope, const UserId& user) {
    scope.Exec(kDeleteMember, {scope.tenant(), user});
}

void TenancyRepository::RenameRoleOfMembers(const db::TenantScope& scope, const std::string& from,
                                            const std::string& to) {
    scope.Exec(kRenameRole, {scope.tenant(), from, to});
}

int64_t TenancyRepository::CountMembersWithRole(const db::TenantScope& scope, const std::string& role) {
    return scope.Exec(kCountRole, {scope.tenant(), role}).front().Get<int64_t>("n");
}

std::optional<nlohmann::json> TenancyRepository::FindMember(const db::TenantScope& scope, const UserId& user) {
    const auto rows = scope.Exec(kSelectMember, {scope.tenant(), user});
    if (rows.empty()) return std::nullopt;
    return MemberFrom(rows.front());
}

nlohmann::json TenancyRepository::ListMembers(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                              int64_t limit) {
    nlohmann::json items = nlohmann::json::array();
    const auto sql = IsPostgres(scope.tx()) ? kListMembersPostgres : kListMembers;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), before_id, limit + 1})) items.push_back(MemberFrom(row));
    return items;
}

nlohmann::json TenancyRepository::TenantsOfUser(db::Transaction& tx, const UserId& user) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : tx.Exec(kTenantsOfUser, {user})) {
        items.push_back({{"id", row.Get<std::string>("id")},
                         {"name", row.Get<std::string>("name")},
                         {"slug", row.Get<std::string>("slug")},
                         {"role", row.Get<std::string>("role")}});
    }
    return items;
}

}  // namespace kiln::tenancy
