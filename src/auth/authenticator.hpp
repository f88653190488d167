#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "db/database.hpp"

namespace kiln::auth {

/// Turns a bearer credential into a Principal and a tenant header into the principal's access
/// there. Both look across tenants, so they run in the request's transaction while it is still a
/// system one, before it is scoped to the tenant: one transaction serves the whole request.
class Authenticator final {
  public:
    explicit Authenticator(db::Database& db) : db_(db) {}

    /// Throws Unauthorized for a missing, unknown, expired or revoked token.
    static Principal Authenticate(db::Transaction& tx, std::string_view authorization_header);

    /// Records that an API token was used, at most once a minute per token, in a short write
    /// transaction of its own (so read requests stay read-only).
    void RecordUse(const Principal& principal);

    /// `tenant_header` is X-Tenant-Id (a tenant id or slug). Throws NotFound when the tenant does
    /// not exist or the principal is not a member (the two are indistinguishable on purpose).
    static TenantAccess ResolveTenant(db::Transaction& tx, const Principal& principal,
                                      const std::optional<std::string>& tenant_header);

    /// Permissions of `role` in `tenant`: a built-in role, or a custom role's list.
    static std::set<std::string> RolePermissions(db::Transaction& tx, const TenantId& tenant, const std::string& role);

  private:
    db::Database& db_;
};

}  // namespace kiln::auth
