#include "modules/tenancy/membership_service.hpp"

#include "core/error.hpp"
#include "modules/tenancy/role_grants.hpp"
#include "modules/tenancy/tenancy_repository.hpp"

namespace kiln::tenancy {

namespace {

constexpr std::string_view kOwner = "owner";

void KeepAnOwner(const db::TenantScope& scope, const auth::TenantAccess& actor, const std::string& current_role) {
    if (current_role != kOwner) return;
    if (actor.role != kOwner) throw Forbidden("Only owners can make or unmake owners.");
    if (TenancyRepository::CountMembersWithRole(scope, std::string(kOwner)) <= 1)
        throw Conflict("A tenant must keep at least one owner.");
}

}  // namespace

std::optional<std::string> MembershipService::RoleOf(const db::TenantScope& scope, const UserId& user) {
    return TenancyRepository::MemberRole(scope, user);
}

std::optional<nlohmann::json> MembershipService::Find(const db::TenantScope& scope, const UserId& user) {
    return TenancyRepository::FindMember(scope, user);
}

nlohmann::json MembershipService::List(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                       int64_t limit) {
    return TenancyRepository::ListMembers(scope, before_id, limit);
}

void MembershipService::Join(const db::TenantScope& scope, const UserId& user, const std::string& role) {
    TenancyRepository::AddMember(scope, user, role);
}

void MembershipService::ChangeRole(const db::TenantScope& scope, const auth::TenantAccess& actor, const UserId& user,
                                   const std::string& current, const std::string& role) {
    if (role == current) return;
    KeepAnOwner(scope, actor, current);
    RoleGrants::CheckOutranks(scope, actor, current);
    RoleGrants::CheckAssignable(scope, actor, role);
    TenancyRepository::SetMemberRole(scope, user, role);
}

void MembershipService::Remove(const db::TenantScope& scope, const auth::TenantAccess& actor, const UserId& user,
                               const std::string& current) {
    KeepAnOwner(scope, actor, current);
    RoleGrants::CheckOutranks(scope, actor, current);
    TenancyRepository::RemoveMember(scope, user);
}

}  // namespace kiln::tenancy
