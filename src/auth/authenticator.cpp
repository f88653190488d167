#include "auth/authenticator.hpp"

#include "auth/permissions.hpp"
#include "auth/token.hpp"
#include "core/uuid.hpp"

namespace kiln::auth {

namespace {

constexpr std::string_view kSelectSession = R"sql(
    SELECT s.id, s.expires_at, s.revoked_at, u.id AS user_id, u.email, u.name, u.is_platform_admin, u.is_active
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1)sql";

constexpr std::string_view kSelectApiToken = R"sql(
    SELECT t.id, t.tenant_id, t.permissions, t.expires_at, t.revoked_at, t.last_used_at,
           u.id AS user_id, u.email, u.name, u.is_platform_admin, u.is_active
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1)sql";

constexpr std::string_view kTouchApiToken = "UPDATE api_tokens SET last_used_at = $1 WHERE tenant_id = $2 AND id = $3";

constexpr std::string_view kSelectTenantById = "SELECT id, slug FROM tenants WHERE id = $1";
constexpr std::string_view kSelectTenantBySlug = "SELECT id, slug FROM tenants WHERE slug = $1";
constexpr std::string_view kSelectMembership = "SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2";
constexpr std::string_view kSelectOnlyMembership = R"sql(
    SELECT m.tenant_id, t.slug, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id = $1 LIMIT 2)sql";
constexpr std::string_view kSelectCustomRole = "SELECT permissions FROM roles WHERE tenant_id = $1 AND name = $2";

// Recording every use would make each read request a write; once a minute is enough to tell
// which tokens are alive.
constexpr auto kTouchInterval = std::chrono::minutes(1);

std::string_view BearerToken(std::string_view header) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size()) return {};
    for (size_t i = 0; i < kBearer.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(kBearer[i])))
            return {};
    return header.substr(kBearer.size());
}

void FillUser(const db::Row& row, Principal& p) {
    p.user_id = UserId(row.Get<std::string>("user_id"));
    p.email = row.Get<std::string>("email");
    p.name = row.Get<std::string>("name");
    p.is_platform_admin = row.Get<bool>("is_platform_admin");
}

}  // namespace

Principal Authenticator::Authenticate(std::string_view authorization_header) {
    const std::string_view token = BearerToken(authorization_header);
    if (token.empty()) throw Unauthorized("A bearer token is required (Authorization: Bearer <token>).");
    const std::string hash = HashToken(token);
    const Timestamp now = Now();
    Principal principal;
    std::optional<Timestamp> last_used;
    {
        auto tx = db_.Begin({db::Access::kReadOnly, db::Visibility::kSystem});
        if (token.starts_with(kApiTokenPrefix)) {
            const auto rows = tx.Exec(kSelectApiToken, {hash});
            if (rows.empty()) throw Unauthorized("The token is not valid.");
            const auto& row = rows.front();
            if (!row.IsNull("revoked_at")) throw Unauthorized("The token has been revoked.");
            if (auto expires = row.GetOptional<Timestamp>("expires_at"); expires && *expires <= now)
                throw Unauthorized("The token has expired.");
            if (!row.Get<bool>("is_active")) throw Unauthorized("The account is disabled.");
            principal.kind = Principal::Kind::kApiToken;
            principal.credential_id = row.Get<std::string>("id");
            principal.bound_tenant = TenantId(row.Get<std::string>("tenant_id"));
            if (auto perms = row.GetOptional<nlohmann::json>("permissions"))
                principal.token_permissions = perms->get<std::set<std::string>>();
            last_used = row.GetOptional<Timestamp>("last_used_at");
            FillUser(row, principal);
        } else {
            const auto rows = tx.Exec(kSelectSession, {hash});
            if (rows.empty()) throw Unauthorized("The token is not valid.");
            const auto& row = rows.front();
            if (!row.IsNull("revoked_at")) throw Unauthorized("The session has been signed out.");
            if (row.Get<Timestamp>("expires_at") <= now) throw Unauthorized("The session has expired.");
            if (!row.Get<bool>("is_active")) throw Unauthorized("The account is disabled.");
            principal.kind = Principal::Kind::kSession;
            principal.credential_id = row.Get<std::string>("id");
            FillUser(row, principal);
        }
    }
    if (principal.kind == Principal::Kind::kApiToken && (!last_used || now - *last_used > kTouchInterval)) {
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tx.Exec(kTouchApiToken, {now, *principal.bound_tenant, principal.credential_id});
        tx.Commit();
    }
    return principal;
}

std::set<std::string> Authenticator::RolePermissions(db::Transaction& tx, const TenantId& tenant,
                                                     const std::string& role) {
    if (IsBuiltInRole(role)) return BuiltInRolePermissions(role);
    const auto rows = tx.Exec(kSelectCustomRole, {tenant, role});
    if (rows.empty()) return {};
    return rows.front().Get<nlohmann::json>("permissions").get<std::set<std::string>>();
}

TenantAccess Authenticator::ResolveTenant(const Principal& principal, const std::optional<std::string>& tenant_header) {
    auto tx = db_.Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    TenantAccess access;
    const auto not_found = [] { return NotFound("No tenant matches X-Tenant-Id for this account."); };

    if (tenant_header) {
        const auto rows = tx.Exec(IsUuid(*tenant_header) ? kSelectTenantById : kSelectTenantBySlug, {*tenant_header});
        if (rows.empty()) throw not_found();
        access.tenant = TenantId(rows.front().Get<std::string>("id"));
        access.slug = rows.front().Get<std::string>("slug");
        if (principal.bound_tenant && *principal.bound_tenant != access.tenant) throw not_found();
    } else if (principal.bound_tenant) {
        access.tenant = *principal.bound_tenant;
        const auto rows = tx.Exec(kSelectTenantById, {access.tenant});
        if (rows.empty()) throw not_found();
        access.slug = rows.front().Get<std::string>("slug");
    } else {
        const auto rows = tx.Exec(kSelectOnlyMembership, {principal.user_id});
        if (rows.size() != 1)
            throw BadRequest(rows.empty() ? "This account is not a member of any tenant."
                                          : "Choose a tenant with the X-Tenant-Id header (tenant id or slug).");
        access.tenant = TenantId(rows.front().Get<std::string>("tenant_id"));
        access.slug = rows.front().Get<std::string>("slug");
    }

    const auto membership = tx.Exec(kSelectMembership, {access.tenant, principal.user_id});
    if (membership.empty()) throw not_found();
    access.role = membership.front().Get<std::string>("role");
    access.permissions = RolePermissions(tx, access.tenant, access.role);
    if (principal.token_permissions) {
        std::set<std::string> narrowed;
        for (const auto& p : access.permissions)
            if (principal.token_permissions->contains(p)) narrowed.insert(p);
        access.permissions = std::move(narrowed);
    }
    return access;
}

}  // namespace kiln::auth
