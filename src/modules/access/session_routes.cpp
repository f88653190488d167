#include "auth/client_address.hpp"
#include "auth/token.hpp"
#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "modules/access/access_routes.hpp"
#include "modules/tenancy/user_directory.hpp"

namespace kiln::access {

namespace {

auth::ClientOrigin Origin(const http::Request& request) {
    return {request.client_ip, request.Header("forwarded"), request.Header("x-forwarded-for")};
}

constexpr std::string_view kInsertSession = R"sql(
    INSERT INTO sessions (id, user_id, token_hash, client_ip, user_agent, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";
constexpr std::string_view kRevokeSession = "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

// A fixed argon2id hash verified when the email is unknown, so a miss costs what a hit costs
// and response time does not reveal which emails have accounts.
const std::string& DummyHash() {
    static const std::string hash = crypto::HashPassword("kiln-timing-equaliser");
    return hash;
}

http::Response Login(http::RequestContext& ctx, const Config& config, auth::LoginRateLimiter& limiter,
                     const auth::TrustedProxies& proxies) {
    const std::string email = ctx.body().at("email");
    const std::string password = ctx.body().at("password");
    const std::string account = strings::ToLower(email);
    const auto client = auth::ClientAddress(Origin(ctx.request()), proxies);
    const std::string address = auth::RateLimitKey(client);
    if (const int wait = limiter.RetryAfterSeconds(ctx.database(), account, address, Now()); wait > 0)
        throw Error(ErrorCode::kTooManyRequests, "Too many failed sign-in attempts; try again later.")
            .WithRetryAfter(wait);

    std::optional<tenancy::User> user;
    std::optional<std::string> hash;
    {
        auto tx = ctx.database().Begin({db::Access::kReadOnly, db::Visibility::kSystem});
        user = tenancy::UserDirectory::FindUserByEmail(tx, email);
        if (user) hash = tenancy::UserDirectory::PasswordHash(tx, user->id);
    }
    const bool valid = crypto::VerifyPassword(password, hash ? *hash : DummyHash()) && hash.has_value();
    if (!valid) {
        limiter.RecordFailure(ctx.database(), account, address, Now());
        throw Unauthorized("The email or password is wrong.");
    }
    limiter.RecordSuccess(ctx.database(), account, address);

    const std::string token = auth::GenerateToken(auth::kSessionTokenPrefix);
    const Timestamp now = Now();
    const Timestamp expires = now + std::chrono::duration_cast<std::chrono::microseconds>(config.session_ttl);
    auto tx = ctx.database().Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    tx.Exec(kInsertSession, {NewUuidV7(), user->id, auth::HashToken(token), client.ToString(),
                             ctx.request().Header("user-agent"), now, expires});
    const auto tenants = tenancy::UserDirectory::TenantsOf(tx, user->id);
    tx.Commit();
    return http::Response::Json(200, {{"token", token},
                                      {"token_type", "Bearer"},
                                      {"expires_at", FormatTimestamp(expires)},
                                      {"user", user->ToJson()},
                                      {"tenants", tenants}});
}

http::Response Logout(http::RequestContext& ctx) {
    if (ctx.principal().kind != auth::Principal::Kind::kSession)
        throw BadRequest("API tokens are revoked with DELETE /tokens/{id}, not signed out.");
    ctx.tx().Exec(kRevokeSession, {ctx.principal().credential_id, Now()});
    return http::Response::NoContent();
}

http::Response Me(http::RequestContext& ctx) {
    const auto& principal = ctx.principal();
    const auto user = tenancy::UserDirectory::FindUserByEmail(ctx.tx(), principal.email);
    if (!user) throw Unauthorized("The account no longer exists.");
    nlohmann::json tenants = tenancy::UserDirectory::TenantsOf(ctx.tx(), user->id);
    if (principal.bound_tenant) {
        nlohmann::json only = nlohmann::json::array();
        for (const auto& t : tenants)
            if (t["id"] == principal.bound_tenant->str()) only.push_back(t);
        tenants = std::move(only);
    }
    return http::Response::Json(
        200, {{"user", user->ToJson()},
              {"credential", principal.kind == auth::Principal::Kind::kSession ? "session" : "api_token"},
              {"tenants", tenants}});
}

}  // namespace

void RegisterSessionRoutes(http::RouteTable& routes, const Config& config, auth::LoginRateLimiter& limiter,
                           const auth::TrustedProxies& proxies) {
    routes.Add({.method = http::Method::kPost,
                .path = "/auth/login",
                .operation_id = "login",
                .summary = "Sign in with email and password; returns a bearer token",
                .tag = "auth",
                .access = http::Access::kPublic,
                .body = http::Schema::Object()
                            .Required("email", http::Schema::String().MinLength(1).MaxLength(254))
                            .Required("password", http::Schema::String().MinLength(1).MaxLength(1024)),
                .own_transactions = true,
                .entity_type = "session",
                .handler = [&config, &limiter, proxies](http::RequestContext& ctx) {
                    return Login(ctx, config, limiter, proxies);
                }});
    routes.Add({.method = http::Method::kPost,
                .path = "/auth/logout",
                .operation_id = "logout",
                .summary = "Revoke the session token of this request",
                .tag = "auth",
                .access = http::Access::kAuthenticated,
                .success_status = 204,
                .entity_type = "session",
                .handler = Logout});
    routes.Add({.method = http::Method::kGet,
                .path = "/auth/me",
                .operation_id = "me",
                .summary = "The signed-in user and the tenants they belong to",
                .tag = "auth",
                .access = http::Access::kAuthenticated,
                .entity_type = "user",
                .handler = Me});
}

}  // namespace kiln::access
