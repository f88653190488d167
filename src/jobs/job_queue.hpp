#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace kiln::jobs {

inline constexpr int kDefaultMaxAttempts = 8;
/// last_error keeps this many bytes (cut at a UTF-8 character boundary).
inline constexpr size_t kMaxErrorBytes = 2048;

struct EnqueueOptions {
    std::optional<Timestamp> run_at;  // default: now
    int max_attempts = kDefaultMaxAttempts;
    /// Enqueueing a second job with the same key in the same tenant does nothing, so fan-out
    /// (event → jobs) can be retried safely.
    std::optional<std::string> dedupe_key;
};

struct EnqueueResult {
    std::string id;
    bool created = false;  // false: a job with the same dedupe key already existed; `id` is that job
};

/// A job a worker holds the lease on. `attempt` is 1 for the first run.
struct ClaimedJob {
    TenantId tenant;
    std::string id;
    std::string kind;
    nlohmann::json payload;
    int attempt = 0;
    int max_attempts = 0;
    std::optional<std::string> trace_context;
};

/// The durable queue, as repository functions. Enqueue runs in the caller's transaction; the
/// worker-side functions take a read-write *system* transaction (workers serve every tenant) and
/// leave committing to the caller. Times are passed in, so tests can move the clock.
class JobQueue final {
  public:
    /// Adds a job in the caller's transaction: it exists exactly when the caller's change commits.
    /// On PostgreSQL this also sends `NOTIFY kiln_jobs` (delivered at commit); on SQLite it wakes
    /// this process's workers.
    static EnqueueResult Enqueue(const db::TenantScope& scope, const std::string& kind, const nlohmann::json& payload,
                                 const EnqueueOptions& options = {});

    /// Leases the next due job to `worker_id` until now + lease, or nothing when none is due.
    /// Due: queued or failed with run_at <= now, or running with an expired lease. Tenants take
    /// turns (the least recently served tenant with due work goes first).
    static std::optional<ClaimedJob> Claim(db::Transaction& tx, const std::string& worker_id,
                                           std::chrono::seconds lease, Timestamp now);

    /// The following return false when `worker_id` no longer holds the job's lease (it expired and
    /// another worker took the job): the other worker's outcome stands.
    static bool Complete(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, Timestamp now);
    /// A failed attempt: `failed` until retry_at, or `dead` when it was the last attempt.
    static bool Fail(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, const std::string& error,
                     Timestamp retry_at, Timestamp now);
    /// `dead` at once, whatever attempts remain (an unknown kind can never succeed).
    static bool Kill(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, const std::string& error,
                     Timestamp now);

    /// Extends the lease of every job `worker_id` is running; returns how many.
    static int64_t RenewLeases(db::Transaction& tx, const std::string& worker_id, Timestamp locked_until,
                               Timestamp now);

    /// Platform view (system transaction): the newest jobs across tenants, up to limit+1 rows with
    /// id < before_id, optionally in one state. Payloads are tenant data and are not included.
    static nlohmann::json List(db::Transaction& tx, const std::optional<std::string>& state,
                               const std::optional<std::string>& before_id, int64_t limit);
    /// {"by_state": {state: n, ...every state...}, "by_kind": [{"kind", "state", "count"}, ...]}.
    static nlohmann::json Counts(db::Transaction& tx);
    /// Jobs queued or waiting for a retry, by kind: the kiln_job_queue_length gauge.
    static std::vector<std::pair<std::string, double>> WaitingByKind(db::Transaction& tx);

    static bool IsState(const std::string& state);
};

struct BackoffPolicy {
    std::chrono::milliseconds base{5000};
    std::chrono::milliseconds cap{std::chrono::hours(1)};
};

/// Delay before the retry that follows failed attempt `attempt` (1-based): base · 2^(attempt−1),
/// capped, then scaled by 1 + 0.2·jitter for jitter in [−1, 1], so retries of many jobs that
/// failed together spread out instead of arriving as one wave.
std::chrono::milliseconds RetryDelay(int attempt, const BackoffPolicy& policy, double jitter);

/// At most `max_bytes` of `text`, never ending inside a UTF-8 sequence (PostgreSQL rejects that).
std::string TruncateUtf8(const std::string& text, size_t max_bytes);

}  // namespace kiln::jobs
