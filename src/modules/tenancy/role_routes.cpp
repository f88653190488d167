#include "auth/permissions.hpp"
#include "http/request_context.hpp"
#include "modules/tenancy/role_repository.hpp"
#include "modules/tenancy/tenancy_repository.hpp"
#include "modules/tenancy/tenancy_routes.hpp"

namespace kiln::tenancy {

namespace {

std::set<std::string> ValidPermissions(const nlohmann::json& list) {
    std::set<std::string> out;
    std::vector<FieldError> errors;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string name = list[i];
        if (!auth::IsKnownPermission(name)) {
            errors.push_back({"permissions[" + std::to_string(i) + "]", "is not a known permission"});
        } else if (auth::IsPlatformPermission(name)) {
            errors.push_back(
                {"permissions[" + std::to_string(i) + "]", "is a platform permission; roles cannot grant it"});
        }
        out.insert(name);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    return out;
}

void CheckName(const std::string& name) {
    if (auth::IsBuiltInRole(name)) throw ValidationError("name", "is the name of a built-in role");
}

/// A role may only hand out permissions its author holds, so roles cannot escalate.
void CheckGrantable(http::RequestContext& ctx, const std::set<std::string>& permissions) {
    for (const auto& p : permissions)
        if (!ctx.access().permissions.contains(p))
            throw Forbidden("You cannot grant the permission " + p + ", which you do not hold.");
}

CustomRole Existing(http::RequestContext& ctx) {
    auto role = RoleRepository::Find(ctx.scope(), RoleId(ctx.IdParam("id")));
    if (!role) throw ctx.NotFoundError();
    return *role;
}

http::Response ListRoles(http::RequestContext& ctx) {
    nlohmann::json roles = nlohmann::json::array();
    for (const auto& name : auth::BuiltInRoleNames())
        roles.push_back(
            {{"id", name}, {"name", name}, {"built_in", true}, {"permissions", auth::BuiltInRolePermissions(name)}});
    for (const auto& role : RoleRepository::List(ctx.scope())) roles.push_back(role.ToJson());
    return http::Response::Json(200, {{"data", roles}, {"next_cursor", nullptr}});
}

http::Response GetRole(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

http::Response CreateRole(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string name = body.at("name");
    CheckName(name);
    const auto permissions = ValidPermissions(body.at("permissions"));
    CheckGrantable(ctx, permissions);
    const auto role = RoleRepository::Create(ctx.scope(), name, body.value("description", ""), permissions);
    ctx.Audit("roles.create", role.id.str(), {{"name", name}, {"permissions", permissions}});
    return http::Response::Json(201, role.ToJson());
}

http::Response UpdateRole(http::RequestContext& ctx) {
    CustomRole role = Existing(ctx);
    // Taking permissions away demotes everyone holding the role: only who holds them all may.
    CheckGrantable(ctx, role.permissions);
    const auto& body = ctx.body();
    nlohmann::json changes = nlohmann::json::object();
    if (body.contains("name") && body["name"] != role.name) {
        const std::string name = body["name"];
        CheckName(name);
        TenancyRepository::RenameRoleOfMembers(ctx.scope(), role.name, name);
        changes["name"] = {{"from", role.name}, {"to", name}};
        role.name = name;
    }
    if (body.contains("description")) {
        changes["description"] = {{"from", role.description}, {"to", body["description"]}};
        role.description = body["description"];
    }
    if (body.contains("permissions")) {
        auto permissions = ValidPermissions(body["permissions"]);
        CheckGrantable(ctx, permissions);
        changes["permissions"] = {{"from", role.permissions}, {"to", permissions}};
        role.permissions = std::move(permissions);
    }
    role.updated_at = Now();
    RoleRepository::Update(ctx.scope(), role);
    ctx.Audit("roles.update", role.id.str(), changes);
    return http::Response::Json(200, role.ToJson());
}

http::Response DeleteRole(http::RequestContext& ctx) {
    const CustomRole role = Existing(ctx);
    CheckGrantable(ctx, role.permissions);
    if (TenancyRepository::CountMembersWithRole(ctx.scope(), role.name) > 0)
        throw Conflict("The role is still held by members; give them another role first.");
    RoleRepository::Delete(ctx.scope(), role.id);
    ctx.Audit("roles.delete", role.id.str(), {{"name", role.name}});
    return http::Response::NoContent();
}

http::Schema RoleBody(bool create) {
    auto name = http::Schema::String().MinLength(1).MaxLength(64);
    auto permissions = http::Schema::ArrayOf(http::Schema::String().MaxLength(100)).MaxItems(200);
    auto description = http::Schema::String().MaxLength(500);
    auto body = http::Schema::Object();
    if (create) {
        body.Required("name", name).Field("description", description).Required("permissions", permissions);
    } else {
        body.Field("name", name).Field("description", description).Field("permissions", permissions);
    }
    return body;
}

}  // namespace

void RegisterRoleRoutes(http::RouteTable& routes) {
    routes.Add({.method = http::Method::kGet,
                .path = "/roles",
                .operation_id = "listRoles",
                .summary = "Built-in and custom roles with their permissions",
                .tag = "tenancy",
                .permission = "roles:read",
                .entity_type = "role",
                .handler = ListRoles});
    routes.Add({.method = http::Method::kPost,
                .path = "/roles",
                .operation_id = "createRole",
                .summary = "Create a custom role",
                .tag = "tenancy",
                .permission = "roles:create",
                .body = RoleBody(true),
                .success_status = 201,
                .creates = true,
                .entity_type = "role",
                .handler = CreateRole});
    routes.Add({.method = http::Method::kGet,
                .path = "/roles/{id}",
                .operation_id = "getRole",
                .summary = "A custom role",
                .tag = "tenancy",
                .permission = "roles:read",
                .entity_type = "role",
                .handler = GetRole});
    routes.Add({.method = http::Method::kPut,
                .path = "/roles/{id}",
                .operation_id = "updateRole",
                .summary = "Change a custom role",
                .tag = "tenancy",
                .permission = "roles:update",
                .body = RoleBody(false),
                .entity_type = "role",
                .handler = UpdateRole});
    routes.Add({.method = http::Method::kDelete,
                .path = "/roles/{id}",
                .operation_id = "deleteRole",
                .summary = "Delete a custom role no member holds",
                .tag = "tenancy",
                .permission = "roles:delete",
                .success_status = 204,
                .entity_type = "role",
                .handler = DeleteRole});
}

}  // namespace kiln::tenancy
