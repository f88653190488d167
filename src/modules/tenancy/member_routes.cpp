#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/tenancy/membership_service.hpp"
#include "modules/tenancy/tenancy_routes.hpp"

namespace kiln::tenancy {

namespace {

std::string RoleOf(http::RequestContext& ctx, const UserId& user) {
    auto role = MembershipService::RoleOf(ctx.scope(), user);
    if (!role) throw ctx.NotFoundError();
    return *role;
}

nlohmann::json FindMember(http::RequestContext& ctx, const UserId& user) {
    auto member = MembershipService::Find(ctx.scope(), user);
    if (!member) throw ctx.NotFoundError();
    return std::move(*member);
}

http::Response ListMembers(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    return http::Response::Json(
        200, http::PageResponse(MembershipService::List(ctx.scope(), page.after_id, page.limit), page));
}

http::Response GetMember(http::RequestContext& ctx) {
    return http::Response::Json(200, FindMember(ctx, UserId(ctx.IdParam("user_id"))));
}

http::Response UpdateMember(http::RequestContext& ctx) {
    const UserId user(ctx.IdParam("user_id"));
    const std::string current = RoleOf(ctx, user);
    const std::string role = ctx.body().at("role");
    MembershipService::ChangeRole(ctx.scope(), ctx.access(), user, current, role);
    ctx.Audit("members.update", user.str(), {{"role", {{"from", current}, {"to", role}}}});
    return http::Response::Json(200, FindMember(ctx, user));
}

http::Response RemoveMember(http::RequestContext& ctx) {
    const UserId user(ctx.IdParam("user_id"));
    const std::string current = RoleOf(ctx, user);
    MembershipService::Remove(ctx.scope(), ctx.access(), user, current);
    ctx.Audit("members.delete", user.str(), {{"role", current}});
    return http::Response::NoContent();
}

}  // namespace

void RegisterMemberRoutes(http::RouteTable& routes) {
    routes.Add({.method = http::Method::kGet,
                .path = "/members",
                .operation_id = "listMembers",
                .summary = "Members of the tenant and their roles",
                .tag = "tenancy",
                .permission = "members:read",
                .query = {{"limit", "integer", "Page size"}, {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "member",
                .handler = ListMembers});
    routes.Add({.method = http::Method::kGet,
                .path = "/members/{user_id}",
                .operation_id = "getMember",
                .summary = "One member",
                .tag = "tenancy",
                .permission = "members:read",
                .entity_type = "member",
                .handler = GetMember});
    routes.Add({.method = http::Method::kPut,
                .path = "/members/{user_id}",
                .operation_id = "updateMember",
                .summary = "Change a member's role",
                .tag = "tenancy",
                .permission = "members:update",
                .body = http::Schema::Object().Required("role", http::Schema::String().MinLength(1).MaxLength(64)),
                .entity_type = "member",
                .handler = UpdateMember});
    routes.Add({.method = http::Method::kDelete,
                .path = "/members/{user_id}",
                .operation_id = "removeMember",
                .summary = "Remove a member from the tenant",
                .tag = "tenancy",
                .permission = "members:delete",
                .success_status = 204,
                .entity_type = "member",
                .handler = RemoveMember});
}

}  // namespace kiln::tenancy
