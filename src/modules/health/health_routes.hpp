#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "db/database.hpp"
#include "http/route.hpp"

namespace kiln::health {

/// GET /health (overall and per-component status only), /health/ready (503 unless the database
/// answers and every migration is applied), /health/live (the process serves requests; touches
/// nothing). They are public, so they say only what a probe needs: no version, environment,
/// uptime, latencies, migration names or exporter endpoint (issue 12, item 13).
void RegisterHealthRoutes(http::RouteTable& routes);

/// The whole report, shown by GET /observability/summary (admin:system:read): status, version,
/// environment, uptime and per-component details (database with latency and migrations, job
/// workers, scheduler, trace exporter with its endpoint and counts). `healthy` is false when the
/// database is down or migrations are pending.
struct DatabaseCheck {
    bool up = false;
    double latency_ms = 0;
    bool migrations_checked = false;
    std::vector<std::string> pending;
};
/// Reaches the database and lists pending migrations (public health routes, own transactions).
DatabaseCheck CheckDatabase(db::Database& db);
/// A round trip inside the caller's transaction (authenticated routes); migrations are not listed.
DatabaseCheck CheckDatabase(db::Transaction& tx);

nlohmann::json HealthReport(const DatabaseCheck& check, const Config& config,
                            std::chrono::steady_clock::time_point started, bool& healthy);

/// What GET /health shows: {"status", "components": {name: {"status"}}}, the same components as
/// HealthReport with nothing but their status.
nlohmann::json PublicHealthReport(const DatabaseCheck& check, bool& healthy);

}  // namespace kiln::health
