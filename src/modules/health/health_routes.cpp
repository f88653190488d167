#include "modules/health/health_routes.hpp"

#include "core/log.hpp"
#include "db/migration.hpp"
#include "http/request_context.hpp"
#include "observability/components.hpp"
#include "observability/tracer.hpp"

namespace kiln::health {

namespace {

nlohmann::json WorkersComponent() {
    const auto& components = observability::Components::Instance();
    if (components.worker_threads() == 0) return {{"status", "disabled"}, {"threads", 0}};
    return {{"status", components.workers_running() ? "up" : "stopped"},
            {"threads", components.worker_threads()},
            {"busy", components.busy_workers()}};
}

nlohmann::json ExporterComponent() {
    const auto status = observability::Tracer::Instance().status();
    nlohmann::json exporter = {{"status", status.state}};
    if (status.state != "disabled") {
        exporter["endpoint"] = status.endpoint;
        exporter["exported_spans"] = status.exported;
        exporter["failed_spans"] = status.failed;
        exporter["dropped_spans"] = status.dropped;
        exporter["queued_spans"] = status.queued;
    }
    return exporter;
}

http::Response Health(http::RequestContext& ctx) {
    bool healthy = false;
    auto report = PublicHealthReport(CheckDatabase(ctx.database()), healthy);
    return http::Response::Json(healthy ? 200 : 503, report);
}

/// Which migrations are pending is a detail for operators (the summary), not for probes.
http::Response Ready(http::RequestContext& ctx) {
    const auto check = CheckDatabase(ctx.database());
    if (!check.up) return http::Response::Json(503, {{"status", "unavailable"}, {"reason", "database unreachable"}});
    if (!check.pending.empty())
        return http::Response::Json(503, {{"status", "unavailable"}, {"reason", "migrations pending"}});
    return http::Response::Json(200, {{"status", "ready"}});
}

}  // namespace

DatabaseCheck CheckDatabase(db::Database& db) {
    DatabaseCheck check;
    const auto start = std::chrono::steady_clock::now();
    try {
        check.pending = db::PendingMigrations(db);
        check.migrations_checked = true;
        check.up = true;
    } catch (const std::exception& e) {
        log::Warn("database health check failed", {{"error", e.what()}});
    }
    check.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return check;
}

DatabaseCheck CheckDatabase(db::Transaction& tx) {
    DatabaseCheck check;
    const auto start = std::chrono::steady_clock::now();
    tx.Exec("SELECT 1");  // a failure here fails the request itself, like any query would
    check.up = true;
    check.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return check;
}

namespace {

nlohmann::json ComponentsReport(const DatabaseCheck& check) {
    nlohmann::json database = {{"status", check.up ? "up" : "down"}, {"latency_ms", check.latency_ms}};
    if (!check.up) database["error"] = "unreachable";
    return {{"database", database},
            {"migrations", check.migrations_checked ? nlohmann::json{{"status", check.pending.empty() ? "up" : "down"},
                                                                     {"pending", check.pending}}
                                                    : nlohmann::json{{"status", check.up ? "unknown" : "down"}}},
            {"job_workers", WorkersComponent()},
            // No scheduler exists yet; the key is here so consoles need no change when one lands.
            {"scheduler", {{"status", "not_configured"}}},
            {"trace_exporter", ExporterComponent()}};
}

}  // namespace

nlohmann::json HealthReport(const DatabaseCheck& check, const Config& config,
                            std::chrono::steady_clock::time_point started, bool& healthy) {
    healthy = check.up && check.pending.empty();
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    return {{"status", healthy ? "ok" : "degraded"},
            {"version", KILN_VERSION},
            {"environment", config.environment},
            {"uptime_seconds", uptime.count()},
            {"components", ComponentsReport(check)}};
}

nlohmann::json PublicHealthReport(const DatabaseCheck& check, bool& healthy) {
    healthy = check.up && check.pending.empty();
    const nlohmann::json details = ComponentsReport(check);
    nlohmann::json components = nlohmann::json::object();
    for (const auto& [name, component] : details.items()) components[name] = {{"status", component.at("status")}};
    return {{"status", healthy ? "ok" : "degraded"}, {"components", components}};
}

void RegisterHealthRoutes(http::RouteTable& routes) {
    routes.Add({.method = http::Method::kGet,
                .path = "/health",
                .operation_id = "health",
                .summary = "Overall and per-component status (up/down) for probes; the details (version, "
                           "uptime, latencies, exporter) are in GET /observability/summary",
                .tag = "health",
                .access = http::Access::kPublic,
                .own_transactions = true,
                .entity_type = "health",
                .handler = Health});
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
