#include "auth/authenticator.hpp"
#include "auth/client_address.hpp"
#include "auth/token.hpp"
#include "core/crypto.hpp"
#include "http/request_context.hpp"
#include "jobs/job_queue.hpp"
#include "modules/identity/identity_mail.hpp"
#include "modules/identity/identity_routes.hpp"
#include "modules/identity/password_reset_repository.hpp"
#include "modules/tenancy/user_directory.hpp"

namespace kiln::identity {

namespace {

auth::ClientOrigin Origin(const http::Request& request) {
    return {request.client_ip, request.Header("forwarded"), request.Header("x-forwarded-for")};
}

constexpr std::string_view kRevokeOtherSessions =
    "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL";
constexpr std::string_view kRevokeAllSessions =
    "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
constexpr std::string_view kFirstTenant =
    "SELECT tenant_id FROM memberships WHERE user_id = $1 ORDER BY created_at, tenant_id LIMIT 1";

/// A flood of reset requests for one address sends one mail a minute.
constexpr auto kResetMailInterval = std::chrono::minutes(1);

auto Micros(auto duration) {
    return std::chrono::duration_cast<std::chrono::microseconds>(duration);
}

/// Changing the password needs the current one, so a stolen session cannot lock the owner out.
/// The route opens its own transactions (it is declared public and authenticates itself) so the
/// two argon2 computations never hold the database's write lock, and wrong current passwords
/// count in the sign-in limiter like failed sign-ins.
http::Response ChangePassword(http::RequestContext& ctx, auth::LoginRateLimiter& limiter,
                              const auth::TrustedProxies& proxies) {
    auth::Principal principal;
    std::optional<std::string> hash;
    {
        auto tx = ctx.database().Begin({db::Access::kReadOnly, db::Visibility::kSystem});
        principal = auth::Authenticator::Authenticate(tx, ctx.request().Header("authorization").value_or(""));
        if (principal.kind != auth::Principal::Kind::kSession)
            throw Forbidden("Only a signed-in session can change the password, not an API token.");
        hash = tenancy::UserDirectory::PasswordHash(tx, principal.user_id);
    }
    if (!hash) throw Unauthorized("The account is disabled.");
    const std::string address = auth::RateLimitKey(auth::ClientAddress(Origin(ctx.request()), proxies));
    if (const int wait = limiter.RetryAfterSeconds(ctx.database(), principal.email, address, Now()); wait > 0)
        throw Error(ErrorCode::kTooManyRequests, "Too many wrong passwords; try again later.").WithRetryAfter(wait);
    if (!crypto::VerifyPassword(ctx.body().at("current_password").get<std::string>(), *hash)) {
        limiter.RecordFailure(ctx.database(), principal.email, address, Now());
        throw ValidationError("current_password", "is not the account's password");
    }
    const std::string new_hash = crypto::HashPassword(ctx.body().at("new_password").get<std::string>());
    auto tx = ctx.database().Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    tenancy::UserDirectory::SetPasswordHash(tx, principal.user_id, new_hash);
    tx.Exec(kRevokeOtherSessions, {principal.user_id, principal.credential_id, Now()});
    tx.Commit();
    return http::Response::NoContent();
}

/// The same 202 and body whether or not the address has an account, is active, or was asked for
/// a minute ago: the route tells nobody who uses Kiln. The mail is sent by a job, and only to the
/// address on the account.
http::Response RequestReset(http::RequestContext& ctx, const IdentitySettings& settings) {
    const auto answer = [] {
        return http::Response::Json(
            202, {{"detail", "If this address has an account, a link to reset its password is on its way."}});
    };
    if (!settings.smtp.configured()) return answer();
    auto& tx = ctx.tx();
    const auto user = tenancy::UserDirectory::FindUserByEmail(tx, ctx.body().at("email"));
    if (!user || !tenancy::UserDirectory::PasswordHash(tx, user->id)) return answer();
    const Timestamp now = Now();
    if (PasswordResetRepository::RequestedSince(tx, user->id, now - Micros(kResetMailInterval))) return answer();
    // Jobs belong to a tenant; a user in none has nothing to sign in to.
    const auto tenant = tx.Exec(kFirstTenant, {user->id});
    if (tenant.empty()) return answer();
    const std::string reset = PasswordResetRepository::Create(tx, user->id, now + Micros(settings.reset_ttl));
    jobs::EnqueueOptions options;
    options.dedupe_key = "password-reset-mail:" + reset;
    jobs::JobQueue::Enqueue(db::TenantScope(tx, TenantId(tenant.front().Get<std::string>("tenant_id"))),
                            std::string(kPasswordResetMailJob), {{"reset_id", reset}}, options);
    return answer();
}

http::Response ConfirmReset(http::RequestContext& ctx) {
    const std::string token_hash = auth::HashToken(ctx.body().at("token").get<std::string>());
    auto& tx = ctx.tx();
    const Timestamp now = Now();
    const auto user = PasswordResetRepository::FindUsable(tx, token_hash, now);
    if (!user) throw ValidationError("token", "is not a valid reset link: it may have expired or been used");
    // Hashed only once the token is known good, so strangers cannot make the server hash for them.
    const std::string hash = crypto::HashPassword(ctx.body().at("password").get<std::string>());
    if (!PasswordResetRepository::Consume(tx, token_hash, *user, now))
        throw ValidationError("token", "is not a valid reset link: it may have expired or been used");
    tenancy::UserDirectory::SetPasswordHash(tx, *user, hash);
    tx.Exec(kRevokeAllSessions, {*user, now});
    return http::Response::NoContent();
}

}  // namespace

void RegisterPasswordRoutes(http::RouteTable& routes, const IdentitySettings& settings, auth::LoginRateLimiter& limiter,
                            const auth::TrustedProxies& proxies) {
    routes.Add(
        {.method = http::Method::kPost,
         .path = "/auth/password",
         .operation_id = "changePassword",
         .summary = "Change your password (session bearer token and the current password); signs out your "
                    "other sessions",
         .tag = "auth",
         .access = http::Access::kPublic,
         .body = http::Schema::Object()
                     .Required("current_password", http::Schema::String().MinLength(1).MaxLength(1024))
                     .Required("new_password", http::Schema::String().MinLength(10).MaxLength(200)),
         .success_status = 204,
         .own_transactions = true,
         .entity_type = "user",
         .handler = [&limiter, proxies](http::RequestContext& ctx) { return ChangePassword(ctx, limiter, proxies); }});
    routes.Add({.method = http::Method::kPost,
                .path = "/auth/password-reset",
                .operation_id = "requestPasswordReset",
                .summary = "Mail a one-time password reset link to the address, if it has an account (the answer "
                           "is the same either way)",
                .tag = "auth",
                .access = http::Access::kPublic,
                .body = http::Schema::Object().Required("email", http::Schema::String().MinLength(1).MaxLength(254)),
                .success_status = 202,
                .entity_type = "user",
                .handler = [settings](http::RequestContext& ctx) { return RequestReset(ctx, settings); }});
    routes.Add({.method = http::Method::kPost,
                .path = "/auth/password-reset/confirm",
                .operation_id = "confirmPasswordReset",
                .summary = "Set a new password with the token from the reset mail; signs out every session",
                .tag = "auth",
                .access = http::Access::kPublic,
                .body = http::Schema::Object()
                            .Required("token", http::Schema::String().MinLength(1).MaxLength(200))
                            .Required("password", http::Schema::String().MinLength(10).MaxLength(200)),
                .success_status = 204,
                .entity_type = "user",
                .handler = ConfirmReset});
}

}  // namespace kiln::identity
