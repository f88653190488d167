#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

#include "core/settings/registry.hpp"

namespace kiln {

/// The server's own settings: listening, the database, sessions, logs, jobs and the master key.
/// The defaults are here; each field's variable, flag, parser and help are declared once in
/// DeclareSettings (config.cpp). Layers and modules keep their own settings structs (egress, auth,
/// observability, identity, webhooks, integrations), declared the same way;
/// app/process_settings.cpp lists them all.
struct Config {
    std::string address = "0.0.0.0";                 // KILN_ADDRESS
    int port = 4000;                                 // PORT (0: any free port, see port_file)
    std::string port_file;                           // KILN_PORT_FILE: where the bound port is written
    std::string api_prefix = "api/v1";               // API_PREFIX
    std::string database_url;                        // KILN_DATABASE_URL; empty = SQLite in data_dir
    std::string data_dir = "./kiln-data";            // KILN_DATA_DIR
    std::string environment = "development";         // KILN_ENV
    std::string log_level = "info";                  // KILN_LOG_LEVEL
    size_t max_body_bytes = size_t{1024} * 1024;     // KILN_MAX_BODY_BYTES
    std::chrono::seconds read_timeout{30};           // KILN_READ_TIMEOUT_SECONDS (also the keep-alive idle limit)
    std::chrono::seconds write_timeout{30};          // KILN_WRITE_TIMEOUT_SECONDS
    std::chrono::seconds shutdown_grace{25};         // KILN_SHUTDOWN_GRACE_SECONDS
    size_t io_threads = 2;                           // KILN_IO_THREADS
    size_t handler_threads = 8;                      // KILN_HANDLER_THREADS
    size_t handler_queue_limit = 1024;               // KILN_HANDLER_QUEUE_LIMIT
    size_t db_pool_size = 8;                         // KILN_DB_POOL_SIZE
    std::chrono::hours session_ttl{12};              // KILN_SESSION_TTL_HOURS
    std::chrono::hours idempotency_ttl{24};          // KILN_IDEMPOTENCY_TTL_HOURS (stored replays; 0 = none kept)
    int login_max_failures = 5;                      // KILN_LOGIN_MAX_FAILURES (per account and per address)
    std::chrono::seconds login_failure_window{900};  // KILN_LOGIN_WINDOW_SECONDS
    bool seed_demo = true;                           // KILN_SEED_DEMO
    std::string demo_password;                       // KILN_DEMO_PASSWORD; empty = random
    size_t worker_threads = 2;                       // KILN_WORKER_THREADS (job workers; 0 = none)
    std::chrono::seconds job_lease{60};              // KILN_JOB_LEASE_SECONDS (renewed while a job runs)
    std::chrono::milliseconds job_retry_base{5000};  // KILN_JOB_BACKOFF_BASE_MS (first retry delay)
    bool test_job_kinds = false;                     // KILN_TEST_JOB_KINDS=1: test.sleep and test.fail (tests only)
    // Provider calls made inside a request (connectivity tests, intents, refunds, test sends), bounded so
    // that no tenant can hold every handler thread; jobs keep their own, longer timeouts. Declared with the
    // integrations' settings (app/integration_settings.cpp).
    size_t outbound_per_tenant = 2;                       // KILN_OUTBOUND_PER_TENANT (at once, per tenant)
    size_t outbound_in_request_max = 0;                   // KILN_OUTBOUND_IN_REQUEST_MAX (0 = half the handler threads)
    std::chrono::seconds outbound_in_request_timeout{5};  // KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS (1 to 5)
    // Operator overrides of providers' pinned endpoints (test servers, regional hosts, proxies), by integration
    // type: KILN_<TYPE>_BASE_URL (e.g. KILN_STRIPE_BASE_URL) as "<type>", KILN_DOCUSIGN_OAUTH_BASE_URL as
    // "docusign.oauth". Never a tenant's setting.
    std::map<std::string, std::string> provider_base_urls;

    std::string master_key;  // KILN_MASTER_KEY (base64 of 32 bytes); empty = key file in data_dir

    /// The URL the database layer opens: database_url, or the SQLite file under data_dir.
    std::string EffectiveDatabaseUrl() const;
};

/// Declares the server's settings (all but the integrations' fields above), bound to `config`.
void DeclareSettings(settings::Registry& registry, Config& config);

}  // namespace kiln
