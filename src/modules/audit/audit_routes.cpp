#include "modules/audit/audit_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/audit/audit_repository.hpp"

namespace kiln::audit {

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

http::Response VerifyAuditLogs(http::RequestContext& ctx) {
    const auto result = AuditRepository::Verify(ctx.scope());
    nlohmann::json body = {{"ok", result.ok}, {"checked", result.checked}};
    body["first_broken_seq"] = result.broken_seq ? nlohmann::json(*result.broken_seq) : nlohmann::json(nullptr);
    body["reason"] = result.ok ? nlohmann::json(nullptr) : nlohmann::json(result.reason);
    return http::Response::Json(200, body);
}

}  // namespace

void RegisterAuditRoutes(http::RouteTable& routes) {
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
    routes.Add({.method = http::Method::kGet,
                .path = "/audit-logs/verify",
                .operation_id = "verifyAuditLogs",
                .summary = "Walk the tenant's audit hash chain and report the first broken link",
                .tag = "audit",
                .permission = "audit:read",
                .entity_type = "audit_log",
                .handler = VerifyAuditLogs});
}

}  // namespace kiln::audit
