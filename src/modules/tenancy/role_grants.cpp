#include "modules/tenancy/role_grants.hpp"

#include "auth/authenticator.hpp"
#include "auth/permissions.hpp"
#include "modules/tenancy/role_repository.hpp"

namespace kiln::tenancy {

namespace {

constexpr std::string_view kOwner = "owner";

void RequireEvery(http::RequestContext& ctx, const std::string& role, std::string_view doing) {
    if (role == kOwner && ctx.access().role != kOwner) throw Forbidden("Only owners can make or unmake owners.");
    for (const auto& p : auth::Authenticator::RolePermissions(ctx.tx(), ctx.tenant(), role))
        if (!ctx.access().permissions.contains(p))
            throw Forbidden("You cannot " + std::string(doing) + " a role with the permission " + p +
                            ", which you do not hold.");
}

}  // namespace

void RoleGrants::CheckAssignable(http::RequestContext& ctx, const std::string& role) {
    if (!auth::IsBuiltInRole(role) && !RoleRepository::FindByName(ctx.scope(), role))
        throw ValidationError("role", "is not a role of this tenant");
    RequireEvery(ctx, role, "assign");
}

void RoleGrants::CheckOutranks(http::RequestContext& ctx, const std::string& role) {
    RequireEvery(ctx, role, "act on a member with");
}

}  // namespace kiln::tenancy
