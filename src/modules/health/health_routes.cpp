#include "modules/health/health_routes.hpp"

#include "core/log.hpp"
#include "db/migration.hpp"
#include "http/request_context.hpp"

namespace kiln::health {

namespace {

struct DatabaseCheck {
    bool up = false;
    double latency_ms = 0;
    std::vector<std::string> pending;
};

DatabaseCheck CheckDatabase(db::Database& db) {
    DatabaseCheck check;
    const auto start = std::chrono::steady_clock::now();
    try {
        check.pending = db::PendingMigrations(db);
        check.up = true;
    } catch (const std::exception& e) {
        log::Warn("database health check failed", {{"error", e.what()}});
    }
    check.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return check;
}

http::Response Health(http::RequestContext& ctx, const Config& config, std::chrono::steady_clock::time_point started) {
    const auto check = CheckDatabase(ctx.database());
    const bool healthy = check.up && check.pending.empty();
    nlohmann::json database = {{"status", check.up ? "up" : "down"}, {"latency_ms", check.latency_ms}};
    if (!check.up) database["error"] = "unreachable";
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    return http::Response::Json(
        healthy ? 200 : 503,
        {{"status", healthy ? "ok" : "degraded"},
         {"version", KILN_VERSION},
         {"environment", config.environment},
         {"uptime_seconds", uptime.count()},
         {"components",
          {{"database", database},
           {"migrations",
            {{"status", check.pending.empty() && check.up ? "up" : "down"}, {"pending", check.pending}}}}}});
}

http::Response Ready(http::RequestContext& ctx) {
    const auto check = CheckDatabase(ctx.database());
    if (!check.up) return http::Response::Json(503, {{"status", "unavailable"}, {"reason", "database unreachable"}});
    if (!check.pending.empty())
        return http::Response::Json(
            503, {{"status", "unavailable"}, {"reason", "migrations pending"}, {"pending", check.pending}});
    return http::Response::Json(200, {{"status", "ready"}});
}

}  // namespace

void RegisterHealthRoutes(http::RouteTable& routes, const Config& config,
                          std::chrono::steady_clock::time_point started) {
    routes.Add({.method = http::Method::kGet,
                .path = "/health",
                .operation_id = "health",
                .summary = "Overall and per-component health",
                .tag = "health",
                .access = http::Access::kPublic,
                .own_transactions = true,
                .entity_type = "health",
                .handler = [&config, started](http::RequestContext& ctx) { return Health(ctx, config, started); }});
    routes.Add({.method = http::Method::kGet,
                .path = "/health/ready",
                .operation_id = "healthReady",
                .summary = "Readiness: database reachable and migrations applied",
                .tag = "health",
                .access = http::Access::kPublic,
                .own_transactions = true,
                .entity_type = "health",
                .handler = Ready});
    routes.Add({.method = http::Method::kGet,
                .path = "/health/live",
                .operation_id = "healthLive",
                .summary = "Liveness: the process answers",
                .tag = "health",
                .access = http::Access::kPublic,
                .own_transactions = true,
                .entity_type = "health",
                .handler = [](http::RequestContext&) {
                    return http::Response::Json(200, {{"status", "ok"}});
                }});
}

}  // namespace kiln::health
