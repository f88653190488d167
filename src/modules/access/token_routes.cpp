#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "auth/token.hpp"
#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/access/access_routes.hpp"

namespace kiln::access {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO api_tokens (tenant_id, id, user_id, name, token_hash, token_hint, permissions, expires_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql";
constexpr std::string_view kList = R"sql(
    SELECT id, name, token_hint, permissions, expires_at, last_used_at, revoked_at, created_at FROM api_tokens
    WHERE tenant_id = $1 AND user_id = $2 AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, name, token_hint, permissions, expires_at, last_used_at, revoked_at, created_at FROM api_tokens
    WHERE tenant_id = $1 AND user_id = $2 AND ($3::uuid IS NULL OR id < $3) ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kSelectOne = R"sql(
    SELECT id, name, token_hint, permissions, expires_at, last_used_at, revoked_at, created_at FROM api_tokens
    WHERE tenant_id = $1 AND user_id = $2 AND id = $3)sql";
constexpr std::string_view kSelectExpiry = "SELECT expires_at FROM api_tokens WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kRevoke =
    "UPDATE api_tokens SET revoked_at = $4 WHERE tenant_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL";

nlohmann::json ToJson(const db::Row& row) {
    nlohmann::json out;
    out["id"] = row.Get<std::string>("id");
    out["name"] = row.Get<std::string>("name");
    out["token_hint"] = row.Get<std::string>("token_hint");
    out["permissions"] = row.IsNull("permissions") ? nlohmann::json(nullptr) : row.Get<nlohmann::json>("permissions");
    for (const char* column : {"expires_at", "last_used_at", "revoked_at", "created_at"})
        out[column] = row.TimestampJson(column);
    return out;
}

/// The permissions a new token is narrowed to: those asked for, each one held by the caller; or,
/// when none are asked for, everything the caller holds here. A session caller's "everything" is
/// null (the owner's role, whatever it becomes); a token caller's is its own effective set, so a
/// token never mints one that is wider than itself.
std::optional<std::set<std::string>> GrantedPermissions(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const auto& held = ctx.access().permissions;  // already narrowed by the calling token, if it is one
    if (!body.contains("permissions"))
        return ctx.principal().kind == auth::Principal::Kind::kApiToken ? std::optional(held) : std::nullopt;
    std::set<std::string> permissions;
    std::vector<FieldError> errors;
    for (size_t i = 0; i < body["permissions"].size(); ++i) {
        const std::string p = body["permissions"][i];
        // A token narrows its owner's access in this tenant; it can never widen it.
        if (!held.contains(p))
            errors.push_back({"permissions[" + std::to_string(i) + "]", "is not a permission you hold in this tenant"});
        permissions.insert(p);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    return permissions;
}

/// When a new token expires: as asked (in the future), but for a token caller never after the
/// caller itself, which is also the default then: a token cannot outlive the token that made it.
std::optional<Timestamp> GrantedExpiry(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    std::optional<Timestamp> expires;
    if (body.contains("expires_at")) {
        expires = ParseTimestamp(body["expires_at"].get<std::string>());
        if (*expires <= Now()) throw ValidationError("expires_at", "must be in the future");
    }
    if (ctx.principal().kind != auth::Principal::Kind::kApiToken) return expires;
    const auto rows = ctx.scope().Exec(kSelectExpiry, {ctx.tenant(), ctx.principal().credential_id});
    const auto parent = rows.empty() ? std::nullopt : rows.front().GetOptional<Timestamp>("expires_at");
    if (!parent) return expires;
    if (!expires) return parent;
    if (*expires > *parent)
        throw ValidationError("expires_at", "must not be later than the expiry of the token making the request, " +
                                                FormatTimestamp(*parent));
    return expires;
}

http::Response CreateToken(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const auto permissions = GrantedPermissions(ctx);
    std::optional<std::string> permissions_text;
    if (permissions) permissions_text = nlohmann::json(*permissions).dump();
    const std::optional<Timestamp> expires = GrantedExpiry(ctx);
    const std::string token = auth::GenerateToken(auth::kApiTokenPrefix);
    const std::string id = NewUuidV7();
    ctx.scope().Exec(kInsert, {ctx.tenant(), id, ctx.principal().user_id, body.at("name").get<std::string>(),
                               auth::HashToken(token), auth::TokenHint(token), permissions_text, expires, Now()});
    auto created = ToJson(ctx.scope().Exec(kSelectOne, {ctx.tenant(), ctx.principal().user_id, id}).front());
    ctx.Audit("tokens.create", id, {{"name", created["name"]}, {"permissions", created["permissions"]}});
    created["token"] = token;  // shown once; only the hash is stored
    return http::Response::Json(201, created);
}

http::Response ListTokens(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    nlohmann::json items = nlohmann::json::array();
    const auto sql = ctx.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    for (const auto& row :
         ctx.scope().Exec(sql, {ctx.tenant(), ctx.principal().user_id, page.after_id, page.limit + 1}))
        items.push_back(ToJson(row));
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetToken(http::RequestContext& ctx) {
    const auto rows = ctx.scope().Exec(kSelectOne, {ctx.tenant(), ctx.principal().user_id, ctx.IdParam("id")});
    if (rows.empty()) throw ctx.NotFoundError();
    return http::Response::Json(200, ToJson(rows.front()));
}

http::Response RevokeToken(http::RequestContext& ctx) {
    const std::string& id = ctx.IdParam("id");
    const auto rows = ctx.scope().Exec(kSelectOne, {ctx.tenant(), ctx.principal().user_id, id});
    if (rows.empty()) throw ctx.NotFoundError();
    ctx.scope().Exec(kRevoke, {ctx.tenant(), ctx.principal().user_id, id, Now()});
    ctx.Audit("tokens.revoke", id, {{"name", rows.front().Get<std::string>("name")}});
    return http::Response::NoContent();
}

}  // namespace

void RegisterTokenRoutes(http::RouteTable& routes) {
    routes.Add(
        {.method = http::Method::kPost,
         .path = "/tokens",
         .operation_id = "createToken",
         .summary = "Create a personal API token bound to this tenant; the token is shown once",
         .tag = "auth",
         .permission = "tokens:create",
         .body = http::Schema::Object()
                     .Required("name", http::Schema::String().MinLength(1).MaxLength(100))
                     .Field("expires_at",
                            http::Schema::String()
                                .Format("date-time")
                                .Description("Default: never for a signed-in caller; the calling token's own expiry "
                                             "when an API token makes the request (and never later than it)"))
                     .Field("permissions",
                            http::Schema::ArrayOf(http::Schema::String().MaxLength(100))
                                .MaxItems(200)
                                .Description("Each one held by the caller. Default: the owner's role for a signed-in "
                                             "caller; the calling token's own permissions for an API token")),
         .success_status = 201,
         .creates = true,
         .entity_type = "api_token",
         .handler = CreateToken});
    routes.Add({.method = http::Method::kGet,
                .path = "/tokens",
                .operation_id = "listTokens",
                .summary = "Your API tokens in this tenant",
                .tag = "auth",
                .permission = "tokens:read",
                .query = {{"limit", "integer", "Page size"}, {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "api_token",
                .handler = ListTokens});
    routes.Add({.method = http::Method::kGet,
                .path = "/tokens/{id}",
                .operation_id = "getToken",
                .summary = "One of your API tokens",
                .tag = "auth",
                .permission = "tokens:read",
                .entity_type = "api_token",
                .handler = GetToken});
    routes.Add({.method = http::Method::kDelete,
                .path = "/tokens/{id}",
                .operation_id = "revokeToken",
                .summary = "Revoke one of your API tokens",
                .tag = "auth",
                .permission = "tokens:delete",
                .success_status = 204,
                .entity_type = "api_token",
                .handler = RevokeToken});
}

}  // namespace kiln::access
