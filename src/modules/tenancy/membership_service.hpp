#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace kiln::tenancy {

/// The rules of a tenant's membership, in the caller's transaction: a tenant keeps at least one owner, only owners
/// make or unmake owners, and nobody acts on a member who outranks them (RoleGrants). `actor` is the caller's access
/// to the scope's tenant; the caller writes the audit row.
class MembershipService final {
  public:
    /// The member's role, nothing when `user` is not a member of the scope's tenant.
    static std::optional<std::string> RoleOf(const db::TenantScope& scope, const UserId& user);
    static std::optional<nlohmann::json> Find(const db::TenantScope& scope, const UserId& user);
    static nlohmann::json List(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                               int64_t limit);
    /// Makes `user` a member with `role`: an invitation accepted (whose role RoleGrants checked when it was sent).
    static void Join(const db::TenantScope& scope, const UserId& user, const std::string& role);
    /// Gives `user` (who holds `current`) the role `role`; nothing happens when it is the same. Forbidden or
    /// Conflict when the rules above refuse it, ValidationError when the role does not exist.
    static void ChangeRole(const db::TenantScope& scope, const auth::TenantAccess& actor, const UserId& user,
                           const std::string& current, const std::string& role);
    /// Removes `user` (who holds `current`) from the tenant, under the same rules.
    static void Remove(const db::TenantScope& scope, const auth::TenantAccess& actor, const UserId& user,
                       const std::string& current);
};

}  // namespace kiln::tenancy
