#include "auth/permissions.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/tenancy/tenancy_repository.hpp"
#include "modules/tenancy/tenancy_routes.hpp"

namespace kiln::tenancy {

namespace {

http::Response GetTenant(http::RequestContext& ctx) {
    const auto tenant = TenancyRepository::FindTenant(ctx.tx(), ctx.tenant());
    if (!tenant) throw NotFound("The tenant no longer exists.");
    return http::Response::Json(200, tenant->ToJson());
}

http::Response UpdateTenant(http::RequestContext& ctx) {
    const std::string name = ctx.body().at("name");
    const auto before = TenancyRepository::FindTenant(ctx.tx(), ctx.tenant());
    if (!before) throw NotFound("The tenant no longer exists.");
    TenancyRepository::RenameTenant(ctx.scope(), name);
    ctx.Audit("tenants.update", ctx.tenant().str(), {{"name", {{"from", before->name}, {"to", name}}}});
    auto after = *before;
    after.name = name;
    return http::Response::Json(200, after.ToJson());
}

http::Response ListTenants(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    return http::Response::Json(
        200, http::PageResponse(TenancyRepository::ListTenants(ctx.tx(), page.after_id, page.limit), page));
}

http::Response CreateTenant(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string name = body.at("name");
    const std::string slug = body.contains("slug") ? body.at("slug").get<std::string>() : SlugFromName(name);
    const Tenant tenant = TenancyRepository::CreateTenant(ctx.tx(), name, slug);
    // The creating administrator becomes the first owner, so the tenant is never unreachable.
    TenancyRepository::AddMember(db::TenantScope(ctx.tx(), tenant.id), ctx.principal().user_id, "owner");
    ctx.AuditInTenant(tenant.id, "tenants.create", tenant.id.str(), {{"name", name}, {"slug", slug}});
    return http::Response::Json(201, tenant.ToJson());
}

/// A platform administrator's settings of one tenant: whether its integrations may fall back to the
/// platform's credentials (issue 12, item 1). No tenant route writes it.
http::Response AdminUpdateTenant(http::RequestContext& ctx) {
    const TenantId id(ctx.IdParam("id"));
    const auto before = TenancyRepository::FindTenant(ctx.tx(), id);
    if (!before) throw ctx.NotFoundError();
    const bool use = ctx.body().at("use_platform_credentials");
    TenancyRepository::SetUsePlatformCredentials(ctx.tx(), id, use);
    ctx.AuditInTenant(id, "tenants.platform_credentials", id.str(),
                      {{"use_platform_credentials", {{"from", before->use_platform_credentials}, {"to", use}}}});
    auto after = *before;
    after.use_platform_credentials = use;
    return http::Response::Json(200, after.ToJson());
}

http::Response ListPermissions(http::RequestContext& /*ctx*/) {
    nlohmann::json permissions = nlohmann::json::array();
    for (const auto& p : auth::AllPermissions())
        permissions.push_back({{"name", p.name}, {"description", p.description}, {"platform", p.platform}});
    return http::Response::Json(200, {{"data", permissions}});
}

}  // namespace

void RegisterTenantRoutes(http::RouteTable& routes) {
    routes.Add({.method = http::Method::kGet,
                .path = "/tenant",
                .operation_id = "getTenant",
                .summary = "The tenant the request acts in",
                .tag = "tenancy",
                .permission = "tenants:read",
                .entity_type = "tenant",
                .handler = GetTenant});
    routes.Add({.method = http::Method::kPut,
                .path = "/tenant",
                .operation_id = "updateTenant",
                .summary = "Rename the tenant",
                .tag = "tenancy",
                .permission = "tenants:update",
                .body = http::Schema::Object().Required("name", http::Schema::String().MinLength(1).MaxLength(200)),
                .entity_type = "tenant",
                .handler = UpdateTenant});
    routes.Add({.method = http::Method::kGet,
                .path = "/admin/tenants",
                .operation_id = "listTenants",
                .summary = "Every tenant of the platform (platform administrators)",
                .tag = "admin",
                .access = http::Access::kAuthenticated,
                .permission = "admin:system:read",
                .query = {{"limit", "integer", "Page size"}, {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "tenant",
                .handler = ListTenants});
    routes.Add({.method = http::Method::kPost,
                .path = "/admin/tenants",
                .operation_id = "createTenant",
                .summary = "Create a tenant; the caller becomes its owner (platform administrators)",
                .tag = "admin",
                .access = http::Access::kAuthenticated,
                .permission = "admin:system:write",
                .body = http::Schema::Object()
                            .Required("name", http::Schema::String().MinLength(1).MaxLength(200))
                            .Field("slug", http::Schema::String().MinLength(1).MaxLength(63).Format("slug")),
                .success_status = 201,
                .entity_type = "tenant",
                .handler = CreateTenant});
    routes.Add(
        {.method = http::Method::kPut,
         .path = "/admin/tenants/{id}",
         .operation_id = "adminUpdateTenant",
         .summary = "Opt a tenant in to (or out of) the platform's fallback credentials (platform administrators)",
         .tag = "admin",
         .access = http::Access::kAuthenticated,
         .permission = "admin:system:write",
         .body = http::Schema::Object().Required("use_platform_credentials", http::Schema::Boolean()),
         .entity_type = "tenant",
         .handler = AdminUpdateTenant});
    routes.Add({.method = http::Method::kGet,
                .path = "/permissions",
                .operation_id = "listPermissions",
                .summary = "Every permission Kiln knows",
                .tag = "tenancy",
                .access = http::Access::kAuthenticated,
                .entity_type = "permission",
                .handler = ListPermissions});
}

}  // namespace kiln::tenancy
