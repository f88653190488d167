#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "db/database.hpp"
#include "http/route.hpp"

namespace kiln::health {

/// GET /health (components), /health/ready (503 unless the database answers and every
/// migration is applied), /health/live (the process serves requests; touches nothing).
void RegisterHealthRoutes(http::RouteTable& routes, const Config& config,
                          std::chrono::steady_clock::time_point started);

/// The whole report of GET /health, also shown by the console summary: status, version,
/// environment, uptime and per-component status (database with latency and migrations, job
/// workers, scheduler, trace exporter). `healthy` is false when the database is down or
/// migrations are pending.
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

}  // namespace kiln::health
