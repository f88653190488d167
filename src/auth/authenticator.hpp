#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "db/database.hpp"

namespace kiln::auth {

/// Turns a bearer credential into a Principal and a tenant header into the principal's access
/// there. Both look across tenants, so they run in system transactions of their own.
class Authenticator final {
public:
    explicit Authenticator(db::Database& db) : db_(db) {}

    /// Throws Unauthorized for a missing, unknown, expired or revoked token.
    Principal Authenticate(std::string_view authorization_header);

    /// `tenant_header` is X-Tenant-Id (a tenant id or slug). Throws NotFound when the tenant does
    /// not exist or the principal is not a member (the two are indistinguishable on purpose).
    TenantAccess ResolveTenant(const Principal& principal, const std::optional<std::string>& tenant_header);

    /// Permissions of `role` in `tenant`: a built-in role, or a custom role's list.
    static std::set<std::string> RolePermissions(db::Transaction& tx, const TenantId& tenant, const std::string& role);

private:
    db::Database& db_;
};

}  // namespace kiln::auth
