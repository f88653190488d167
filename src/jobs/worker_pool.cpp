#include "jobs/worker_pool.hpp"

#include <unistd.h>

#include <array>
#include <pqxx/pqxx>

#include "core/backoff.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "jobs/job_signal.hpp"
#include "observability/components.hpp"
#include "observability/metrics.hpp"
#include "observability/span.hpp"

namespace kiln::jobs {

namespace {

std::string MakeWorkerId() {
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    // The random part tells apart two processes that reuse a pid (containers restart at pid 1).
    return std::string(host.data()) + ":" + std::to_string(getpid()) + ":" + crypto::HexEncode(crypto::RandomBytes(4));
}

/// Turns PostgreSQL notifications into in-process wake-ups.
class Wakeup final : public pqxx::notification_receiver {
  public:
    explicit Wakeup(pqxx::connection_base& connection) : pqxx::notification_receiver(connection, "kiln_jobs") {}
    void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { JobSignal::Instance().Notify(); }
};

}  // namespace

WorkerPool::WorkerPool(db::Database& db, const JobHandlerRegistry& handlers, WorkerPoolOptions options)
    : db_(db), handlers_(handlers), options_(std::move(options)), worker_id_(MakeWorkerId()) {
    for (const auto& kind : handlers_.kinds()) observability::Metrics::Instance().DeclareJobKind(kind);
}

WorkerPool::~WorkerPool() {
    Stop();
}

void WorkerPool::Start() {
    log::Info("workers starting",
              {{"threads", options_.threads}, {"worker_id", worker_id_}, {"lease_seconds", options_.lease.count()}});
    for (size_t i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { WorkLoop(); });
    threads_.emplace_back([this] { HeartbeatLoop(); });
    if (!options_.listen_url.empty()) threads_.emplace_back([this] { ListenLoop(); });
    observability::Components::Instance().SetWorkers(options_.threads, true);
}

void WorkerPool::Stop() {
    if (stopping_.exchange(true) || threads_.empty()) return;
    JobSignal::Instance().WakeAll();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    observability::Components::Instance().SetWorkers(options_.threads, false);
    log::Info("workers stopped", {{"worker_id", worker_id_}});
}

void WorkerPool::WorkLoop() {
    auto& signal = JobSignal::Instance();
    while (!stopping()) {
        const uint64_t seen = signal.generation();
        std::optional<ClaimedJob> job;
        try {
            auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
            job = JobQueue::Claim(tx, worker_id_, options_.lease, Now());
            tx.Commit();
        } catch (const std::exception& e) {
            // The database is down or busy: back off like an idle worker, then try again.
            log::Warn("job claim failed", {{"error", e.what()}});
            job.reset();
        }
        if (job) {
            observability::Components::Instance().SetBusyWorkers(++running_jobs_);
            Run(*job);
            observability::Components::Instance().SetBusyWorkers(--running_jobs_);
            continue;  // there may be more due work: look again at once
        }
        signal.WaitFor(seen, options_.idle_poll, [this] { return stopping(); });
    }
}

void WorkerPool::Run(const ClaimedJob& job) {
    const auto started = std::chrono::steady_clock::now();
    // The job continues the trace of whatever enqueued it (a request, another job).
    std::optional<observability::TraceContext> parent;
    if (job.trace_context) parent = observability::FromCarrier(*job.trace_context);
    observability::Span span =
        observability::Span::StartRoot(job.kind + " process", observability::SpanKind::kConsumer, parent);
    const observability::ScopedContext trace_scope(span.context());
    const log::ScopedCorrelation correlation(
        {"", span.context().TraceIdHex(), span.context().SpanIdHex(), job.tenant.str()});
    span.SetAttribute("messaging.system", "kiln_jobs");
    span.SetAttribute("messaging.operation.type", "process");
    span.SetAttribute("messaging.destination.name", job.kind);
    span.SetAttribute("messaging.message.id", job.id);
    span.SetAttribute("kiln.job.attempt", int64_t{job.attempt});
    span.SetAttribute("kiln.tenant_id", job.tenant.str());
    const JobHandler* handler = handlers_.Find(job.kind);
    std::optional<std::string> error;
    if (handler != nullptr) {
        try {
            (*handler)(JobContext{job.tenant, job.id, job.payload, job.attempt, db_});
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "the handler threw something that is not a std::exception";
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto elapsed_ms = static_cast<int64_t>(seconds * 1000.0);
    const char* outcome = "succeeded";
    if (handler == nullptr) {
        outcome = "unknown_kind";
    } else if (error) {
        outcome = job.attempt >= job.max_attempts ? "dead" : "failed";
    }
    auto& metrics = observability::Metrics::Instance();
    metrics.JobFinished(job.kind, outcome, seconds);
    if (handler == nullptr || error) {
        // The module is the kind's first segment: "workflow.run" → workflow.
        metrics.ModuleError(job.kind.substr(0, job.kind.find('.')));
        span.SetError(error.value_or("unknown job kind"));
    }
    nlohmann::json fields = {{"job_id", job.id},
                             {"kind", job.kind},
                             {"tenant_id", job.tenant.str()},
                             {"attempt", job.attempt},
                             {"duration_ms", elapsed_ms}};
    try {
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const Timestamp now = Now();
        bool held = false;
        if (handler == nullptr) {
            // Retrying cannot help: no process of this version knows the kind.
            held = JobQueue::Kill(tx, job, worker_id_, "no handler is registered for job kind '" + job.kind + "'", now);
            log::Error("job kind unknown, job is dead", fields);
        } else if (error) {
            const auto delay = RetryDelay(job.attempt, options_.backoff, backoff::Jitter(-1.0, 1.0));
            held = JobQueue::Fail(tx, job, worker_id_, *error, now + delay, now);
            fields["error"] = *error;
            fields["final"] = job.attempt >= job.max_attempts;
            log::Warn("job failed", fields);
        } else {
            held = JobQueue::Complete(tx, job, worker_id_, now);
            if (log::Enabled(log::Level::kDebug)) log::Write(log::Level::kDebug, "job succeeded", fields);
        }
        tx.Commit();
        if (!held) log::Warn("job lease was lost before the outcome was recorded; the newer attempt stands", fields);
    } catch (const std::exception& e) {
        // The outcome is lost, the lease will expire and the job runs again: handlers are idempotent.
        fields["error"] = e.what();
        log::Error("could not record job outcome", fields);
    }
}

void WorkerPool::HeartbeatLoop() {
    auto& signal = JobSignal::Instance();
    // A third of the lease: two renewals can fail before another worker may take the job.
    const auto interval = std::max<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease) / 3, std::chrono::milliseconds(100));
    auto next = std::chrono::steady_clock::now() + interval;
    while (!stopping()) {
        const auto now = std::chrono::steady_clock::now();
        if (now < next) {
            signal.WaitFor(signal.generation(), std::chrono::duration_cast<std::chrono::milliseconds>(next - now),
                           [this] { return stopping(); });
            continue;
        }
        next = now + interval;
        if (running_jobs_.load() == 0) continue;
        try {
            auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
            const Timestamp at = Now();
            JobQueue::RenewLeases(tx, worker_id_,
                                  at + std::chrono::duration_cast<std::chrono::microseconds>(options_.lease), at);
            tx.Commit();
        } catch (const std::exception& e) {
            log::Warn("job lease renewal failed", {{"error", e.what()}});
        }
    }
}

void WorkerPool::ListenLoop() {
    auto& signal = JobSignal::Instance();
    while (!stopping()) {
        try {
            pqxx::connection connection(options_.listen_url);
            Wakeup wakeup(connection);
            // Anything enqueued while we were not listening would otherwise wait for the next poll.
            signal.Notify();
            // A short timeout keeps Stop() prompt; notifications themselves end the wait at once.
            while (!stopping()) connection.await_notification(0, 250000);
        } catch (const std::exception& e) {
            log::Warn("job listener lost its connection; workers poll until it is back", {{"error", e.what()}});
            signal.WaitFor(signal.generation(), std::chrono::seconds(2), [this] { return stopping(); });
        }
    }
}

}  // namespace kiln::jobs
