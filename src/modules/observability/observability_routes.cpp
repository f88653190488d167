#include "modules/observability/observability_routes.hpp"

#include <openssl/crypto.h>

#include "http/request_context.hpp"
#include "modules/health/health_routes.hpp"
#include "observability/metrics.hpp"
#include "observability/request_window.hpp"
#include "observability/tracer.hpp"

namespace kiln::observability {

namespace {

/// Constant-time, so the token cannot be guessed byte by byte from response times.
bool TokenMatches(const std::string& given, const std::string& expected) {
    const std::string wanted = "Bearer " + expected;
    return given.size() == wanted.size() && CRYPTO_memcmp(given.data(), wanted.data(), given.size()) == 0;
}

http::Response MetricsText(http::RequestContext& ctx, const ObservabilitySettings& settings) {
    if (!settings.metrics_token.empty() &&
        !TokenMatches(ctx.request().Header("authorization").value_or(""), settings.metrics_token))
        throw Unauthorized("This endpoint needs the metrics bearer token (KILN_METRICS_TOKEN).");
    auto& metrics = Metrics::Instance();
    if (!metrics.enabled()) throw NotFound("Metrics are turned off (KILN_METRICS=0).");
    return http::Response{200, "text/plain; version=0.0.4; charset=utf-8", metrics.Render(), {}};
}

nlohmann::json WindowJson(const RequestWindow::Summary& s) {
    return {{"window_seconds", s.window_seconds},
            {"requests", s.requests},
            {"requests_per_second", s.requests_per_second},
            {"server_errors", s.errors},
            {"client_errors", s.client_errors},
            {"error_rate", s.error_rate},
            {"p95_latency_ms", s.p95_seconds * 1000.0},
            {"p99_latency_ms", s.p99_seconds * 1000.0},
            {"active_users", s.active_users}};
}

http::Response Summary(http::RequestContext& ctx, const Config& config, std::chrono::steady_clock::time_point started) {
    int minutes = 5;
    if (auto given = ctx.Query("minutes")) {
        try {
            minutes = std::stoi(*given);
        } catch (const std::exception&) {
            minutes = 0;
        }
        if (minutes < 1 || minutes > 5) throw ValidationError("minutes", "must be an integer from 1 to 5");
    }
    bool healthy = false;
    nlohmann::json body = health::HealthReport(health::CheckDatabase(ctx.tx()), config, started, healthy);
    auto& window = RequestWindow::Instance();
    body["traffic"] = WindowJson(window.Summarize(minutes * 60));
    body["last_minute"] = WindowJson(window.Summarize(60));
    return http::Response::Json(200, body);
}

}  // namespace

void RegisterObservabilityRoutes(http::RouteTable& routes, const Config& config, const ObservabilitySettings& settings,
                                 std::chrono::steady_clock::time_point started) {
    routes.Add({.method = http::Method::kGet,
                .path = "/metrics",
                .operation_id = "metrics",
                .summary = "Prometheus metrics (text format 0.0.4); a bearer token when KILN_METRICS_TOKEN is set",
                .tag = "observability",
                .access = http::Access::kPublic,
                .own_transactions = true,  // a scrape opens only the queue-length query's transaction
                .entity_type = "metrics",
                .handler = [settings](http::RequestContext& ctx) { return MetricsText(ctx, settings); }});
    routes.Add({.method = http::Method::kGet,
                .path = "/observability/summary",
                .operation_id = "observabilitySummary",
                .summary = "Uptime, version, component health, request and error rates, p95 latency and active "
                           "users over the last minutes (platform administrators)",
                .tag = "observability",
                .access = http::Access::kAuthenticated,
                .permission = "admin:system:read",
                .query = {{"minutes", "integer", "Window of the traffic figures in minutes, 1 to 5 (default 5)"}},
                .entity_type = "observability",
                .handler = [&config, started](http::RequestContext& ctx) { return Summary(ctx, config, started); }});
}

}  // namespace kiln::observability
