#include "auth/authenticator.hpp"

#include "auth/permissions.hpp"
#include "auth/token.hpp"
#include "core/strings.hpp"
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

// The tenant and the caller's membership in one statement: a missing membership and a missing
// tenant both come back as no row.
constexpr std::string_view kSelectMembershipByTenantId = R"sql(
    SELECT t.id AS tenant_id, t.slug, m.role FROM tenants t JOIN memberships m ON m.tenant_id = t.id
    WHERE t.id = $1 AND m.user_id = $2)sql";
constexpr std::string_view kSelectMembershipBySlug = R"sql(
    SELECT t.id AS tenant_id, t.slug, m.role FROM tenants t JOIN memberships m ON m.tenant_id = t.id
    WHERE t.slug = $1 AND m.user_id = $2)sql";
constexpr std::string_view kSelectOnlyMembership = R"sql(
    SELECT m.tenant_id, t.slug, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
    WHERE m.user_id = $1 LIMIT 2)sql";
constexpr std::string_view kSelectCustomRole = "SELECT permissions FROM roles WHERE tenant_id = $1 AND name = $2";

// Recording every use would make each read request a write; once a minute is enough to tell
// which tokens are alive.
constexpr auto kTouchInterval = std::chrono::minutes(1);

std::string_view BearerToken(std::string_view header) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || !strings::StartsWithIgnoreCase(header, kBearer)) return {};
    return header.substr(kBearer.size());
}

void FillUser(const db::Row& row, Principal& p) {
    p.user_id = UserId(row.Get<std::string>("user_id"));
    p.email = row.Get<std::string>("email");
    p.name = row.Get<std::string>("name");
    p.is_platform_admin = row.Get<bool>("is_platform_admin");
}

}  // namespace

Principal Authenticator::Authenticate(db::Transaction& tx, std::string_view authorization_header) {
    const std::string_view token = BearerToken(authorization_header);
    if (token.empty()) throw Unauthorized("A bearer token is required (Authorization: Bearer <token>).");
    const std::string hash = HashToken(token);
    const Timestamp now = Now();
    Principal principal;
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
        const auto last_used = row.GetOptional<Timestamp>("last_used_at");
        principal.needs_use_recorded = !last_used || now - *last_used > kTouchInterval;
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
    return principal;
}

void Authenticator::RecordUse(const Principal& principal) {
    if (!principal.needs_use_recorded || !principal.bound_tenant) return;
    auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    tx.Exec(kTouchApiToken, {Now(), *principal.bound_tenant, principal.credential_id});
    tx.Commit();
}

std::set<std::string> Authenticator::RolePermissions(db::Transaction& tx, const TenantId& tenant,
                                                     const std::string& role) {
    if (IsBuiltInRole(role)) return BuiltInRolePermissions(role);
    const auto rows = tx.Exec(kSelectCustomRole, {tenant, role});
    if (rows.empty()) return {};
    return rows.front().Get<nlohmann::json>("permissions").get<std::set<std::string>>();
}

TenantAccess Authenticator::ResolveTenant(db::Transaction& tx, const Principal& principal,
                                          const std::optional<std::string>& tenant_header) {
    const auto not_found = [] { return NotFound("No tenant matches X-Tenant-Id for this account."); };
    db::Result rows;
    if (tenant_header) {
        rows = tx.Exec(IsUuid(*tenant_header) ? kSelectMembershipByTenantId : kSelectMembershipBySlug,
                       {*tenant_header, principal.user_id});
    } else if (principal.bound_tenant) {
        rows = tx.Exec(kSelectMembershipByTenantId, {*principal.bound_tenant, principal.user_id});
    } else {
        rows = tx.Exec(kSelectOnlyMembership, {principal.user_id});
        if (rows.size() > 1) throw BadRequest("Choose a tenant with the X-Tenant-Id header (tenant id or slug).");
        if (rows.empty()) throw BadRequest("This account is not a member of any tenant.");
    }
    if (rows.empty()) throw not_found();
    TenantAccess access;
    access.tenant = TenantId(rows.front().Get<std::string>("tenant_id"));
    access.slug = rows.front().Get<std::string>("slug");
    access.role = rows.front().Get<std::string>("role");
    // An API token works only in the tenant it was issued for.
    if (principal.bound_tenant && *principal.bound_tenant != access.tenant) throw not_found();
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
