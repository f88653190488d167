#include "modules/audit/audit_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/audit/audit_repository.hpp"

namespace kiln::audit {

nlohmann::json VerificationJson(const ChainVerification& result) {
    nlohmann::json body = {{"ok", result.ok}, {"checked", result.checked}, {"from_seq", result.from_seq}};
    body["first_broken_seq"] = result.broken_seq ? nlohmann::json(*result.broken_seq) : nlohmann::json(nullptr);
    body["reason"] = result.ok ? nlohmann::json(nullptr) : nlohmann::json(result.reason);
    return body;
}

namespace {

http::Response ListAuditLogs(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    AuditFilter filter;
    filter.entity_type = ctx.Query("entity_type");
    filter.entity_id = ctx.Query("entity_id");
    filter.actor_id = ctx.Query("actor_id");
    filter.action = ctx.Query("action");
    filter.since = http::QueryTimestamp(ctx, "since");
    filter.until = http::QueryTimestamp(ctx, "until");
    filter.before_id = page.after_id;
    filter.limit = page.limit;
    return http::Response::Json(200, http::PageResponse(AuditRepository::List(ctx.scope(), filter), page));
}

/// Continues from the last verified row unless `full=true`; a walk that holds moves the checkpoint
/// (which is why this GET runs in a read-write transaction and is itself audited).
http::Handler VerifyAuditLogs(const SecretVault& vault) {
    return [&vault](http::RequestContext& ctx) {
        const auto full = ctx.Query("full").value_or("false");
        if (full != "true" && full != "false") throw ValidationError("full", "must be true or false");
        const auto result = AuditRepository::Verify(ctx.scope(), vault, full == "true");
        AuditRepository::StoreCheckpoint(ctx.scope(), vault, result);
        ctx.Audit(
            "audit_logs.verify", "",
            {{"full", full == "true"}, {"ok", result.ok}, {"from_seq", result.from_seq}, {"checked", result.checked}});
        nlohmann::json body = VerificationJson(result);
        body["full"] = full == "true";
        return http::Response::Json(200, body);
    };
}

}  // namespace

void RegisterAuditRoutes(http::RouteTable& routes, const SecretVault& vault) {
    routes.Add({.method = http::Method::kGet,
                .path = "/audit-logs",
                .operation_id = "listAuditLogs",
                .summary = "List audit log entries, newest first",
                .tag = "audit",
                .permission = "audit:read",
                .query = {{"entity_type", "string", "Only entries about this kind of object"},
                          {"entity_id", "string", "Only entries about this object"},
                          {"actor_id", "string", "Only entries by this user"},
                          {"action", "string", "Only this action, e.g. roles.create"},
                          {"since", "date-time", "Entries at or after this time"},
                          {"until", "date-time", "Entries before this time"},
                          {"limit", "integer", "Page size, 1 to 200 (default 50)"},
                          {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "audit_log",
                .handler = ListAuditLogs});
    routes.Add(
        {.method = http::Method::kGet,
         .path = "/audit-logs/verify",
         .operation_id = "verifyAuditLogs",
         .summary = "Walk the tenant's audit chain (HMAC-SHA256, older rows SHA-256) from the last verified "
                    "row, or from the start with full=true, and report the first broken link",
         .tag = "audit",
         .permission = "audit:read",
         .query = {{"full", "string", "true walks every row; default false continues after the last verified row"}},
         .writes = true,  // moves the verification checkpoint
         .entity_type = "audit_log",
         .handler = VerifyAuditLogs(vault)});
}

}  // namespace kiln::audit
