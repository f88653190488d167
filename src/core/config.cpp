#include "core/config.hpp"

#include <limits>

#include "core/settings/setting_kinds.hpp"

namespace kiln {

namespace {

using settings::Bool;
using settings::Choice;
using settings::Duration;
using settings::Integer;
using settings::Range;
using settings::Size;
using settings::Text;
using settings::Url;

void DeclareServing(settings::Registry& r, Config& c) {
    r.Add(Integer("PORT", c.port, {0, 65535}, "listen port (`0`: any free port, written to `KILN_PORT_FILE`)")
              .WithFlag("--port"));
    r.Add(Text("KILN_PORT_FILE", c.port_file, "file where the bound port is written once Kiln listens")
              .WithFlag("--port-file"));
    r.Add(Text("KILN_ADDRESS", c.address, "listen address").WithFlag("--address"));
    r.Add(Text("API_PREFIX", c.api_prefix, "path prefix of the API").WithFlag("--api-prefix"));
    r.Add(Size("KILN_MAX_BODY_BYTES", c.max_body_bytes, settings::kAnyCount, "larger request bodies get 413")
              .WithFlag("--max-body-bytes"));
    r.Add(Duration("KILN_READ_TIMEOUT_SECONDS", c.read_timeout, settings::kAnyCount,
                   "reading a request; also the keep-alive idle limit"));
    r.Add(Duration("KILN_WRITE_TIMEOUT_SECONDS", c.write_timeout, settings::kAnyCount, "writing a response"));
    r.Add(Integer("KILN_IO_THREADS", c.io_threads, settings::kAtLeastOne, "HTTP parsing threads")
              .WithFlag("--io-threads"));
    r.Add(Integer("KILN_HANDLER_THREADS", c.handler_threads, settings::kAtLeastOne,
                  "request handler threads (they may block on the database)")
              .WithFlag("--handler-threads"));
    r.Add(Integer("KILN_HANDLER_QUEUE_LIMIT", c.handler_queue_limit, settings::kAnyCount,
                  "requests waiting for a handler before 503")
              .WithFlag("--handler-queue-limit"));
    r.Add(Duration("KILN_SHUTDOWN_GRACE_SECONDS", c.shutdown_grace, settings::kAnyCount,
                   "how long SIGTERM waits for in-flight requests"));
}

void DeclareDatabase(settings::Registry& r, Config& c) {
    r.Add(Url("KILN_DATABASE_URL", c.database_url, {"postgres", "postgresql", "sqlite"},
              "`postgres://…` or `sqlite://PATH`; unset = SQLite in the data dir")
              .WithFlag("--database"));
    r.Add(Text("KILN_DATA_DIR", c.data_dir, "where the SQLite file (and the master key file) lives")
              .WithFlag("--data-dir"));
    r.Add(Integer("KILN_DB_POOL_SIZE", c.db_pool_size, settings::kAtLeastOne, "database connections")
              .WithFlag("--db-pool-size"));
}

void DeclareSessions(settings::Registry& r, Config& c) {
    r.Add(
        Duration("KILN_SESSION_TTL_HOURS", c.session_ttl, settings::kAnyCount, "lifetime of a sign-in session token"));
    r.Add(Duration("KILN_IDEMPOTENCY_TTL_HOURS", c.idempotency_ttl, settings::kAnyCount,
                   "how long a creating POST's response is kept (sealed) for `Idempotency-Key` replays; then "
                   "purged. `0`: none kept"));
    r.Add(Integer("KILN_LOGIN_MAX_FAILURES", c.login_max_failures, {0, std::numeric_limits<int>::max()},
                  "sign-in back-off, shared by every process on the database: after this many failures an "
                  "(account, address) pair waits 2 s, doubling per further failure up to the window (an address "
                  "after 4×, on any accounts; an account attacked from anywhere with 2× makes every address back "
                  "off after its first failure). IPv6 counts by /64. See docs/architecture.md"));
    r.Add(Duration("KILN_LOGIN_WINDOW_SECONDS", c.login_failure_window, settings::kAnyCount,
                   "the longest sign-in back-off, and how long failures are remembered"));
}

void DeclareOperations(settings::Registry& r, Config& c) {
    r.Add(Choice("KILN_LOG_LEVEL", c.log_level, {"trace", "debug", "info", "warn", "error", "critical", "off"},
                 "`debug`, `info`, `warn`, `error` (or `trace`, `critical`, `off`); logs are JSON lines on stderr")
              .WithFlag("--log-level"));
    r.Add(Text("KILN_ENV", c.environment, "shown by `/observability/summary`").WithFlag("--environment"));
    r.Add(Bool("KILN_SEED_DEMO", c.seed_demo, "create the demo tenant on an empty database"));
    r.Add(Text("KILN_DEMO_PASSWORD", c.demo_password, "the demo owner's password").WithDefaultText("(random)"));
    r.Add(Integer("KILN_WORKER_THREADS", c.worker_threads, settings::kAnyCount,
                  "job worker threads in `serve` and `worker` (`0`: `serve` runs no jobs)")
              .WithFlag("--worker-threads"));
    r.Add(Duration("KILN_JOB_LEASE_SECONDS", c.job_lease, settings::kAnyCount,
                   "a claimed job's lease, renewed while it runs; a dead worker's job is retried after it"));
    r.Add(Duration("KILN_JOB_BACKOFF_BASE_MS", c.job_retry_base, settings::kAnyCount,
                   "first retry delay of a failed job; doubles per attempt (±20% jitter), at most 1 h"));
    r.Add(Bool("KILN_TEST_JOB_KINDS", c.test_job_kinds, "tests only: adds the job kinds `test.sleep` and `test.fail`"));
}

void DeclareSecurity(settings::Registry& r, Config& c) {
    r.Add(Text("KILN_MASTER_KEY", c.master_key,
               "base64 of 32 bytes that seals stored secrets; unset = `master.key` (mode 0600) in the data dir, "
               "created on first start. Every process of one deployment needs the same key")
              .WithDefaultText("(key file)"));
}

}  // namespace

void DeclareSettings(settings::Registry& registry, Config& config) {
    DeclareServing(registry, config);
    DeclareDatabase(registry, config);
    DeclareSessions(registry, config);
    DeclareOperations(registry, config);
    DeclareSecurity(registry, config);
}

std::string Config::EffectiveDatabaseUrl() const {
    if (!database_url.empty()) return database_url;
    return "sqlite://" + data_dir + "/kiln.db";
}

}  // namespace kiln
