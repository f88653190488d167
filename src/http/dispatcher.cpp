#include "http/dispatcher.hpp"

#include <chrono>

#include "auth/permissions.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "http/idempotency.hpp"
#include "http/problem.hpp"
#include "http/request_context.hpp"

namespace kiln::http {

namespace {

/// A caller's X-Request-Id is echoed only when it is short and plain, so it is safe in logs.
std::string RequestIdFor(const Request& request) {
    if (auto given = request.Header("x-request-id")) {
        const bool plain =
            !given->empty() && given->size() <= 128 && std::all_of(given->begin(), given->end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
            });
        if (plain) return *given;
    }
    return NewUuidV7();
}

void CheckPermission(const Route& route, const auth::Principal& principal, const auth::TenantAccess* access) {
    if (route.permission.empty()) return;
    bool granted = false;
    if (auth::IsPlatformPermission(route.permission)) {
        granted = principal.is_platform_admin &&
                  (!principal.token_permissions || principal.token_permissions->contains(route.permission));
    } else if (access != nullptr) {
        granted = access->permissions.contains(route.permission);
    }
    if (!granted) throw Forbidden("This action needs the permission " + route.permission + ".");
}

}  // namespace

Response Dispatcher::Handle(const Request& request) {
    const auto started = std::chrono::steady_clock::now();
    const std::string request_id = RequestIdFor(request);
    std::string route_label = "unmatched";
    Response response;
    try {
        response = Run(request, request_id, route_label);
    } catch (const Error& e) {
        response = ProblemResponse(e, request.path, request_id);
    } catch (const std::exception& e) {
        log::Error("unhandled exception", {{"request_id", request_id}, {"route", route_label}, {"error", e.what()}});
        response = ProblemResponse(Error(ErrorCode::kInternal, "An unexpected error occurred; quote the request id."),
                                   request.path, request_id);
    }
    response.headers.emplace_back("X-Request-Id", request_id);
    if (log::Enabled(log::Level::kDebug)) {
        const auto micros =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
        log::Write(log::Level::kDebug, "request",
                   {{"request_id", request_id},
                    {"method", MethodName(request.method)},
                    {"route", route_label},
                    {"status", response.status},
                    {"duration_ms", static_cast<double>(micros) / 1000.0}});
    }
    return response;
}

Response Dispatcher::Run(const Request& request, const std::string& request_id, std::string& route_label) {
    const auto match = routes_.Find(request.method, request.path);
    if (match.route == nullptr) {
        if (match.path_exists)
            throw Error(ErrorCode::kMethodNotAllowed,
                        "This path does not accept the method " + std::string(MethodName(request.method)) + ".");
        throw NotFound("No route matches " + request.path + ".");
    }
    const Route& route = *match.route;
    route_label = std::string(MethodName(route.method)) + " " + route.path;
    RequestContext ctx(request, route, match.params, request_id);

    if (request.body.size() > config_.max_body_bytes)
        throw Error(ErrorCode::kPayloadTooLarge,
                    "The request body is larger than " + std::to_string(config_.max_body_bytes) + " bytes.");
    // One transaction for the whole request, opened as a system transaction so the credential
    // and membership lookups can see across tenants, then scoped to the tenant (on PostgreSQL
    // that also drops the row-level-security bypass) before any handler code runs.
    if (!route.own_transactions) {
        ctx.tx_.emplace(
            db_.Begin({route.writes ? db::Access::kReadWrite : db::Access::kReadOnly, db::Visibility::kSystem}));
    }
    if (route.access != Access::kPublic) {
        ctx.principal_ = auth::Authenticator::Authenticate(*ctx.tx_, request.Header("authorization").value_or(""));
        if (route.access == Access::kTenant)
            ctx.access_ = auth::Authenticator::ResolveTenant(*ctx.tx_, *ctx.principal_, request.Header("x-tenant-id"));
        CheckPermission(route, *ctx.principal_, ctx.access_ ? &*ctx.access_ : nullptr);
    }

    // Validated only after the caller is known to be allowed: strangers learn nothing from it.
    if (route.body) {
        ctx.body_ = ParseJsonBody(request.body);
        route.body->Validate(ctx.body_);
    } else if (!request.body.empty() && route.writes) {
        throw BadRequest("This route takes no request body.");
    }

    if (route.own_transactions) {
        ctx.database_ = &db_;
        return route.handler(ctx);
    }

    if (ctx.access_) ctx.scope_.emplace(*ctx.tx_, ctx.access_->tenant);

    std::optional<IdempotencyKey> idempotency;
    if (route.creates && ctx.scope_) {
        if (auto key = request.Header("idempotency-key")) {
            idempotency = IdempotencyKey::From(*key, ctx.principal_->credential_id, request);
            if (auto stored = idempotency->Lookup(*ctx.scope_)) return *stored;
        }
    }

    Response response = route.handler(ctx);

    if (route.writes && response.status < 300) {
        const auto note =
            ctx.audit_note().value_or(AuditNote{std::nullopt, route.operation_id, route.entity_type, "", {}});
        const AuditEvent event{ctx.principal_ ? ctx.principal_->ActorType() : "anonymous",
                               ctx.principal_ ? ctx.principal_->user_id.str() : "",
                               note.action,
                               note.entity_type,
                               note.entity_id,
                               note.changes,
                               request_id,
                               request.client_ip,
                               request.Header("user-agent").value_or("")};
        if (ctx.scope_) {
            audit_.Record(*ctx.scope_, event);
        } else if (note.tenant) {
            audit_.Record(db::TenantScope(*ctx.tx_, *note.tenant), event);
        }
    }
    if (idempotency && response.status < 300) idempotency->Store(*ctx.scope_, response);
    if (route.writes) ctx.tx_->Commit();
    ctx.tx_.reset();  // release the connection (and SQLite's write lock) before the extra write
    if (ctx.principal_) authenticator_.RecordUse(*ctx.principal_);
    return response;
}

}  // namespace kiln::http
