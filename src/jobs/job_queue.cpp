#include "jobs/job_queue.hpp"

#include <algorithm>
#include <array>

#include "core/backoff.hpp"
#include "core/uuid.hpp"
#include "jobs/job_signal.hpp"
#include "observability/span.hpp"

namespace kiln::jobs {

namespace {

constexpr std::array<std::string_view, 5> kStates = {"queued", "running", "succeeded", "failed", "dead"};

constexpr std::string_view kInsert = R"sql(
    INSERT INTO jobs (tenant_id, id, kind, payload, state, attempts, max_attempts, run_at, dedupe_key,
                      created_at, updated_at, trace_context)
    VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $8, $8, $9)
    ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
    RETURNING id)sql";
constexpr std::string_view kSelectByDedupeKey = "SELECT id FROM jobs WHERE tenant_id = $1 AND dedupe_key = $2";
constexpr std::string_view kNotify = "SELECT pg_notify('kiln_jobs', '')";

// Fairness between tenants. A claim first picks the tenant, then that tenant's oldest due job.
// The tenant is the one with due work that was served least recently (never-served tenants
// first), so tenants take turns: a backlog of thousands of jobs in one tenant delays another
// tenant's single job by at most one claim per busier tenant, instead of putting it behind the
// whole backlog as a global "oldest run_at first" order would. The price is one index probe per
// tenant per claim, which is fine for thousands of tenants; a table of tenants with due work can
// replace the scan if that ever shows up in a profile. A few candidates are returned because on
// PostgreSQL a concurrent worker may hold the only due job of the first one (SKIP LOCKED).
constexpr std::string_view kDueTenants = R"sql(
    SELECT t.id AS tenant_id FROM tenants t
    LEFT JOIN job_tenant_cursor c ON c.tenant_id = t.id
    WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = t.id AND j.state IN ('queued', 'failed') AND j.run_at <= $1)
       OR EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = t.id AND j.state = 'running' AND j.locked_until < $1)
    ORDER BY c.last_claimed_at IS NOT NULL, c.last_claimed_at, t.id
    LIMIT $2)sql";
constexpr int64_t kCandidateTenants = 4;

// Within the tenant, a job whose lease ran out (its worker died) goes first, then the oldest due
// one. Each pick is a probe of its own partial index (migration 0010), already in order, so a
// claim costs the same with ten queued jobs or a million finished ones. SQLite has one writer
// (BEGIN IMMEDIATE), so the subquery's pick cannot race another claim; PostgreSQL's concurrent
// workers skip rows another claim has locked instead of waiting for it.
#define KILN_CLAIM(PICK, LOCK)                                                                               \
    "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $3, locked_until = $4, "        \
    "updated_at = $2 WHERE tenant_id = $1 AND id = (SELECT id FROM jobs WHERE tenant_id = $1 AND " PICK LOCK \
    ") RETURNING id, kind, payload, attempts, max_attempts, trace_context"
#define KILN_PICK_EXPIRED "state = 'running' AND locked_until < $2 ORDER BY locked_until LIMIT 1"
#define KILN_PICK_READY "state IN ('queued', 'failed') AND run_at <= $2 ORDER BY run_at, id LIMIT 1"
constexpr std::string_view kClaimExpired = KILN_CLAIM(KILN_PICK_EXPIRED, "");
constexpr std::string_view kClaimReady = KILN_CLAIM(KILN_PICK_READY, "");
constexpr std::string_view kClaimExpiredPostgres = KILN_CLAIM(KILN_PICK_EXPIRED, " FOR UPDATE SKIP LOCKED");
constexpr std::string_view kClaimReadyPostgres = KILN_CLAIM(KILN_PICK_READY, " FOR UPDATE SKIP LOCKED");
#undef KILN_CLAIM
#undef KILN_PICK_EXPIRED
#undef KILN_PICK_READY
constexpr std::string_view kTouchCursor = R"sql(
    INSERT INTO job_tenant_cursor (tenant_id, last_claimed_at) VALUES ($1, $2)
    ON CONFLICT (tenant_id) DO UPDATE SET last_claimed_at = excluded.last_claimed_at)sql";

// Every outcome is written only by the lease holder: a worker whose lease expired (and whose job
// another worker took) must not overwrite the newer attempt.
constexpr std::string_view kComplete = R"sql(
    UPDATE jobs SET state = 'succeeded', locked_by = NULL, locked_until = NULL, updated_at = $4
    WHERE tenant_id = $1 AND id = $2 AND locked_by = $3 AND state = 'running' AND attempts = $5)sql";
constexpr std::string_view kFail = R"sql(
    UPDATE jobs SET state = $6, run_at = $7, last_error = $8, locked_by = NULL, locked_until = NULL, updated_at = $4
    WHERE tenant_id = $1 AND id = $2 AND locked_by = $3 AND state = 'running' AND attempts = $5)sql";
constexpr std::string_view kRenew = R"sql(
    UPDATE jobs SET locked_until = $2, updated_at = $3 WHERE locked_by = $1 AND state = 'running')sql";

constexpr std::string_view kList = R"sql(
    SELECT id, tenant_id, kind, state, attempts, max_attempts, run_at, locked_by, locked_until, last_error,
           dedupe_key, created_at, updated_at FROM jobs
    WHERE ($1 IS NULL OR state = $1) AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, tenant_id, kind, state, attempts, max_attempts, run_at, locked_by, locked_until, last_error,
           dedupe_key, created_at, updated_at FROM jobs
    WHERE ($1::text IS NULL OR state = $1) AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)sql";
constexpr std::string_view kWaitingByKind =
    "SELECT kind, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'failed') GROUP BY kind";
constexpr std::string_view kCounts =
    "SELECT kind, state, COUNT(*) AS n FROM jobs GROUP BY kind, state ORDER BY kind, state";

nlohmann::json OptionalText(const db::Row& row, std::string_view column) {
    const auto value = row.GetOptional<std::string>(column);
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

bool IsPostgres(const db::Transaction& tx) {
    return tx.dialect() == db::Dialect::kPostgres;
}

bool Finish(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, std::string_view state,
            const std::string& error, Timestamp run_at, Timestamp now) {
    return tx.Exec(kFail, {job.tenant, job.id, worker_id, now, job.attempt, std::string(state), run_at,
                           TruncateUtf8(error, kMaxErrorBytes)})
               .affected_rows() == 1;
}

}  // namespace

bool JobQueue::IsState(const std::string& state) {
    return std::find(kStates.begin(), kStates.end(), state) != kStates.end();
}

EnqueueResult JobQueue::Enqueue(const db::TenantScope& scope, const std::string& kind, const nlohmann::json& payload,
                                const EnqueueOptions& options) {
    const Timestamp now = Now();
    const std::string id = NewUuidV7();
    // The enqueuing request's (or job's) trace travels with the job, so the run links back to it.
    std::optional<std::string> trace_context;
    if (const auto* context = observability::CurrentContext()) trace_context = observability::ToCarrier(*context);
    const auto inserted = scope.Exec(kInsert, {scope.tenant(), id, kind, payload.dump(), options.max_attempts,
                                               options.run_at.value_or(now), options.dedupe_key, now, trace_context});
    if (inserted.empty()) {
        const auto existing = scope.Exec(kSelectByDedupeKey, {scope.tenant(), options.dedupe_key});
        return {existing.front().Get<std::string>("id"), false};
    }
    if (IsPostgres(scope.tx())) {
        scope.Exec(kNotify);  // PostgreSQL delivers it when (and only if) the caller commits
    } else {
        // Before the commit, but a worker woken now claims in a write transaction, which waits
        // for this one's write lock; if this one rolls back, the worker simply finds nothing.
        JobSignal::Instance().Notify();
    }
    return {id, true};
}

std::optional<ClaimedJob> JobQueue::Claim(db::Transaction& tx, const std::string& worker_id, std::chrono::seconds lease,
                                          Timestamp now) {
    const Timestamp locked_until = now + std::chrono::duration_cast<std::chrono::microseconds>(lease);
    const bool postgres = IsPostgres(tx);
    for (const auto& candidate : tx.Exec(kDueTenants, {now, kCandidateTenants})) {
        const TenantId tenant(candidate.Get<std::string>("tenant_id"));
        const db::Params params = {tenant, now, worker_id, locked_until};
        auto claimed = tx.Exec(postgres ? kClaimExpiredPostgres : kClaimExpired, params);
        if (claimed.empty()) claimed = tx.Exec(postgres ? kClaimReadyPostgres : kClaimReady, params);
        if (claimed.empty()) continue;
        tx.Exec(kTouchCursor, {tenant, now});
        const auto& row = claimed.front();
        return ClaimedJob{tenant,
                          row.Get<std::string>("id"),
                          row.Get<std::string>("kind"),
                          row.Get<nlohmann::json>("payload"),
                          static_cast<int>(row.Get<int64_t>("attempts")),
                          static_cast<int>(row.Get<int64_t>("max_attempts")),
                          row.GetOptional<std::string>("trace_context")};
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, double>> JobQueue::WaitingByKind(db::Transaction& tx) {
    std::vector<std::pair<std::string, double>> waiting;
    for (const auto& row : tx.Exec(kWaitingByKind))
        waiting.emplace_back(row.Get<std::string>("kind"), static_cast<double>(row.Get<int64_t>("n")));
    return waiting;
}

bool JobQueue::Complete(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, Timestamp now) {
    return tx.Exec(kComplete, {job.tenant, job.id, worker_id, now, job.attempt}).affected_rows() == 1;
}

bool JobQueue::Fail(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, const std::string& error,
                    Timestamp retry_at, Timestamp now) {
    const bool last = job.attempt >= job.max_attempts;
    return Finish(tx, job, worker_id, last ? "dead" : "failed", error, last ? now : retry_at, now);
}

bool JobQueue::Kill(db::Transaction& tx, const ClaimedJob& job, const std::string& worker_id, const std::string& error,
                    Timestamp now) {
    return Finish(tx, job, worker_id, "dead", error, now, now);
}

int64_t JobQueue::RenewLeases(db::Transaction& tx, const std::string& worker_id, Timestamp locked_until,
                              Timestamp now) {
    return tx.Exec(kRenew, {worker_id, locked_until, now}).affected_rows();
}

nlohmann::json JobQueue::List(db::Transaction& tx, const std::optional<std::string>& state,
                              const std::optional<std::string>& before_id, int64_t limit) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : tx.Exec(IsPostgres(tx) ? kListPostgres : kList, {state, before_id, limit + 1})) {
        nlohmann::json item;
        item["id"] = row.Get<std::string>("id");
        item["tenant_id"] = row.Get<std::string>("tenant_id");
        item["kind"] = row.Get<std::string>("kind");
        item["state"] = row.Get<std::string>("state");
        item["attempts"] = row.Get<int64_t>("attempts");
        item["max_attempts"] = row.Get<int64_t>("max_attempts");
        item["run_at"] = row.TimestampJson("run_at");
        item["locked_by"] = OptionalText(row, "locked_by");
        item["locked_until"] = row.TimestampJson("locked_until");
        item["last_error"] = OptionalText(row, "last_error");
        item["dedupe_key"] = OptionalText(row, "dedupe_key");
        item["created_at"] = row.TimestampJson("created_at");
        item["updated_at"] = row.TimestampJson("updated_at");
        items.push_back(std::move(item));
    }
    return items;
}

nlohmann::json JobQueue::Counts(db::Transaction& tx) {
    nlohmann::json by_state = nlohmann::json::object();
    for (const auto state : kStates) by_state[std::string(state)] = 0;
    nlohmann::json by_kind = nlohmann::json::array();
    for (const auto& row : tx.Exec(kCounts)) {
        const auto state = row.Get<std::string>("state");
        const auto n = row.Get<int64_t>("n");
        by_state[state] = by_state[state].get<int64_t>() + n;
        by_kind.push_back({{"kind", row.Get<std::string>("kind")}, {"state", state}, {"count", n}});
    }
    return {{"by_state", by_state}, {"by_kind", by_kind}};
}

std::chrono::milliseconds RetryDelay(int attempt, const BackoffPolicy& policy, double jitter) {
    return backoff::Spread(backoff::Exponential(policy.base, attempt - 1, policy.cap), 0.2, jitter);
}

std::string TruncateUtf8(const std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    size_t end = max_bytes;
    // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

}  // namespace kiln::jobs
