#pragma once

#include <chrono>
#include <memory>

#include "auth/login_rate_limiter.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/route.hpp"

namespace kiln::app {

/// Opens the configured database and applies pending migrations (and, on PostgreSQL, makes sure
/// the coming months' partitions exist).
std::unique_ptr<db::Database> OpenAndMigrate(const Config& config);

/// Every route of every module: the one list the server, OpenAPI and `kiln routes` share.
void RegisterRoutes(http::RouteTable& routes, const Config& config, auth::LoginRateLimiter& login_limiter,
                    std::chrono::steady_clock::time_point started);

/// `kiln serve`: wires every module and serves until SIGINT/SIGTERM. Returns the exit code.
int Serve(const Config& config);

/// `kiln worker`: runs job workers only (no HTTP) until SIGINT/SIGTERM. Returns the exit code.
int RunWorkers(const Config& config);

}  // namespace kiln::app
