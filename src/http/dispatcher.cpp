#include "http/dispatcher.hpp"

#include <chrono>

#include "auth/permissions.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "http/idempotency.hpp"
#include "http/list_export.hpp"
#include "http/problem.hpp"
#include "http/request_context.hpp"
#include "observability/request_window.hpp"
#include "observability/span.hpp"

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

Dispatcher::Dispatcher(const RouteTable& routes, db::Database& db, auth::Authenticator& authenticator, AuditSink& audit,
                       const IdempotencyStore& idempotency, const Config& config)
    : routes_(routes),
      db_(db),
      authenticator_(authenticator),
      audit_(audit),
      idempotency_(idempotency),
      config_(config) {
    auto& metrics = observability::Metrics::Instance();
    for (const Route& route : routes_.routes()) {
        route_info_[&route] = {&metrics.ForRoute(MethodName(route.method), routes_.FullPath(route)),
                               routes_.FullPath(route)};
        if (!route.tag.empty()) metrics.DeclareModule(route.tag);
    }
    for (const Method method : {Method::kGet, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete})
        unmatched_[static_cast<size_t>(method)] = &metrics.ForRoute(MethodName(method), "unmatched");
}

Response Dispatcher::Handle(const Request& request) {
    const auto started = std::chrono::steady_clock::now();
    const std::string request_id = RequestIdFor(request);

    // The caller's trace context, when it sent a valid one; otherwise this request starts a trace.
    std::optional<observability::TraceContext> remote;
    if (auto header = request.Header("traceparent")) {
        remote = observability::ParseTraceparent(*header);
        if (remote) remote->tracestate = observability::SanitizeTracestate(request.Header("tracestate").value_or(""));
    }
    observability::Span span = observability::Span::StartRoot(std::string(MethodName(request.method)),
                                                              observability::SpanKind::kServer, remote);
    const observability::ScopedContext trace_scope(span.context());
    const log::ScopedCorrelation correlation({request_id, span.context().TraceIdHex(), span.context().SpanIdHex(), ""});

    Outcome outcome;
    Response response;
    try {
        response = Run(request, request_id, outcome);
    } catch (const Error& e) {
        response = ProblemResponse(e, request.path, request_id);
        observability::Metrics::Instance().HttpError(ProblemSlug(e.code()));
        if (response.status >= 500) span.SetError(ProblemSlug(e.code()));
    } catch (const std::exception& e) {
        log::Error("unhandled exception", {{"error", e.what()}});
        response = ProblemResponse(Error(ErrorCode::kInternal, "An unexpected error occurred; quote the request id."),
                                   request.path, request_id);
        observability::Metrics::Instance().HttpError(ProblemSlug(ErrorCode::kInternal));
        span.SetError(e.what());
    }
    response.headers.emplace_back("X-Request-Id", request_id);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const RouteInfo* info = nullptr;
    if (outcome.route != nullptr) {
        const auto found = route_info_.find(outcome.route);
        if (found != route_info_.end()) info = &found->second;
    }
    auto& metrics = observability::Metrics::Instance();
    if (metrics.enabled()) {
        observability::RouteMetrics* route_metrics =
            info != nullptr ? info->metrics : unmatched_[static_cast<size_t>(request.method)];
        route_metrics->Observe(response.status, seconds);
        if (response.status >= 500) metrics.ModuleError(outcome.route != nullptr ? outcome.route->tag : "http");
        observability::RequestWindow::Instance().Record(response.status, seconds, outcome.user_id);
    }
    if (span.recording()) {
        // OpenTelemetry HTTP server semantic conventions; the name is "{method} {http.route}".
        const std::string method(MethodName(request.method));
        if (info != nullptr) {
            span.SetName(method + " " + info->full_path);
            span.SetAttribute("http.route", info->full_path);
        }
        span.SetAttribute("http.request.method", method);
        span.SetAttribute("http.response.status_code", int64_t{response.status});
        span.SetAttribute("url.path", request.path);
        span.SetAttribute("url.scheme", "http");
        span.SetAttribute("client.address", request.client_ip);
        if (auto host = request.Header("host")) {
            const auto colon = host->rfind(':');
            span.SetAttribute("server.address",
                              colon == std::string::npos || host->back() == ']' ? *host : host->substr(0, colon));
        }
        if (auto agent = request.Header("user-agent")) span.SetAttribute("user_agent.original", *agent);
        span.SetAttribute("kiln.request_id", request_id);
        if (!outcome.tenant_id.empty()) span.SetAttribute("kiln.tenant_id", outcome.tenant_id);
        if (response.status >= 500) span.SetError("HTTP " + std::to_string(response.status));
    }
    if (access_log_ || log::Enabled(log::Level::kDebug)) {
        std::string_view route = "unmatched";
        if (info != nullptr) {
            route = info->full_path;
        } else if (outcome.route != nullptr) {
            route = outcome.route->path;
        }
        log::WriteAccess({MethodName(request.method), route, request.path, response.status, seconds * 1000.0},
                         access_log_ ? log::Level::kInfo : log::Level::kDebug);
    }
    return response;
}

Response Dispatcher::Run(const Request& request, const std::string& request_id, Outcome& outcome) {
    const auto match = routes_.Find(request.method, request.path);
    if (match.route == nullptr) {
        if (match.path_exists)
            throw Error(ErrorCode::kMethodNotAllowed,
                        "This path does not accept the method " + std::string(MethodName(request.method)) + ".");
        throw NotFound("No route matches " + request.path + ".");
    }
    const Route& route = *match.route;
    outcome.route = &route;
    RequestContext ctx(request, route, match.params, request_id);

    if (request.body.size() > config_.max_body_bytes)
        throw Error(ErrorCode::kPayloadTooLarge,
                    "The request body is larger than " + std::to_string(config_.max_body_bytes) + " bytes.");
    // One transaction for the whole request, opened as a system transaction so the credential
    // and membership lookups can see across tenants, then scoped to the tenant (on PostgreSQL
    // that also drops the row-level-security bypass) before any handler code runs.
    if (!route.own_transactions) {
        const bool read_write = route.writes && !route.slow_io;
        ctx.tx_.emplace(
            db_.Begin({read_write ? db::Access::kReadWrite : db::Access::kReadOnly, db::Visibility::kSystem}));
        ctx.database_ = &db_;
    }
    if (route.access != Access::kPublic) {
        ctx.principal_ = auth::Authenticator::Authenticate(*ctx.tx_, request.Header("authorization").value_or(""));
        outcome.user_id = ctx.principal_->user_id.str();
        if (route.access == Access::kTenant) {
            ctx.access_ = auth::Authenticator::ResolveTenant(*ctx.tx_, *ctx.principal_, request.Header("x-tenant-id"));
            outcome.tenant_id = ctx.access_->tenant.str();
            if (auto* correlation = log::ScopedCorrelation::Current()) correlation->tenant_id = outcome.tenant_id;
        }
        CheckPermission(route, *ctx.principal_, ctx.access_ ? &*ctx.access_ : nullptr);
    }

    // Validated only after the caller is known to be allowed: strangers learn nothing from it.
    const bool blank = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (route.body) {
        // A body whose every field is optional may be left out, like an action's (below).
        ctx.body_ = blank && !route.body->HasRequiredFields() ? nlohmann::json::object() : ParseJsonBody(request.body);
        route.body->Validate(ctx.body_);
    } else if (route.writes && !route.raw_body && !blank) {
        // An action (/issue, /confirm) takes no fields: no body, an empty one or {} all mean the same, since
        // clients that always send JSON send {}. Fields are refused as unknown, as any route refuses them.
        static const Schema kNoFields = Schema::Object();
        kNoFields.Validate(ParseJsonBody(request.body));
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
            if (auto stored = idempotency_.Lookup(*ctx.scope_, *idempotency)) return *stored;
        }
    }

    Response response = route.handler(ctx);
    if (auto csv = ExportListAsCsv(ctx, route, response)) response = std::move(*csv);
    if (route.slow_io) ctx.BeginWrites();  // the audit row needs a read-write transaction

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
    if (idempotency && response.status < 300) idempotency_.Store(*ctx.scope_, *idempotency, response);
    if (route.writes) ctx.tx_->Commit();
    ctx.tx_.reset();  // release the connection (and SQLite's write lock) before the extra write
    if (ctx.principal_) authenticator_.RecordUse(*ctx.principal_);
    return response;
}

}  // namespace kiln::http
