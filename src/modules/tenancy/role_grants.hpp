#pragma once

#include <string>

#include "auth/principal.hpp"
#include "db/database.hpp"

namespace kiln::tenancy {

/// The rules for handing out roles, shared by members and invitations, so no member can raise
/// anyone (themselves included) above their own standing. `actor` is the caller's access to the scope's tenant.
class RoleGrants final {
  public:
    /// The role must exist in the tenant, the caller must hold every permission it grants, and
    /// only an owner may grant `owner`. ValidationError (unknown role) or Forbidden.
    static void CheckAssignable(const db::TenantScope& scope, const auth::TenantAccess& actor, const std::string& role);

    /// Acting on someone who holds `role` (changing it, removing them, revoking their invitation)
    /// needs every permission of that role as well: a member with members:update/delete cannot
    /// demote or remove an admin. Forbidden otherwise.
    static void CheckOutranks(const db::TenantScope& scope, const auth::TenantAccess& actor, const std::string& role);
};

}  // namespace kiln::tenancy
