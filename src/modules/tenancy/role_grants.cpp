#include "modules/tenancy/role_grants.hpp"

#include "auth/authenticator.hpp"
#include "auth/permissions.hpp"
#include "core/error.hpp"
#include "modules/tenancy/role_repository.hpp"

namespace kiln::tenancy {

namespace {

constexpr std::string_view kOwner = "owner";

void RequireEvery(const db::TenantScope& scope, const auth::TenantAccess& actor, const std::string& role,
                  std::string_view doing) {
    if (role == kOwner && actor.role != kOwner) throw Forbidden("Only owners can make or unmake owners.");
    for (const auto& p : auth::Authenticator::RolePermissions(scope.tx(), scope.tenant(), role))
        if (!actor.permissions.contains(p))
            throw Forbidden("You cannot " + std::string(doing) + " a role with the permission " + p +
                            ", which you do not hold.");
}

}  // namespace

void RoleGrants::CheckAssignable(const db::TenantScope& scope, const auth::TenantAccess& actor,
                                 const std::string& role) {
    if (!auth::IsBuiltInRole(role) && !RoleRepository::FindByName(scope, role))
        throw ValidationError("role", "is not a role of this tenant");
    RequireEvery(scope, actor, role, "assign");
}

void RoleGrants::CheckOutranks(const db::TenantScope& scope, const auth::TenantAccess& actor, const std::string& role) {
    RequireEvery(scope, actor, role, "act on a member with");
}

}  // namespace kiln::tenancy
