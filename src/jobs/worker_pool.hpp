#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "jobs/job_handler.hpp"
#include "jobs/job_queue.hpp"

namespace kiln::jobs {

struct WorkerPoolOptions {
    size_t threads = 2;
    std::chrono::seconds lease{60};
    BackoffPolicy backoff;
    /// How long an idle worker sleeps before looking again when nothing woke it.
    std::chrono::milliseconds idle_poll{500};
    /// PostgreSQL URL for the LISTEN connection; empty (SQLite) wakes through JobSignal only.
    std::string listen_url;
};

/// Worker threads that claim due jobs and run their handlers. While a handler runs, a heartbeat
/// thread keeps extending the lease, so only a dead process (or a stuck database) lets a lease
/// expire. On PostgreSQL a dedicated connection LISTENs on `kiln_jobs`, so an enqueued job is
/// picked up when its transaction commits instead of at the next poll.
class WorkerPool final {
  public:
    WorkerPool(db::Database& db, const JobHandlerRegistry& handlers, WorkerPoolOptions options);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void Start();
    /// Stops claiming and waits for the handlers that are running. Idempotent.
    void Stop();

    /// `host:pid:random`: the lease holder written to `locked_by`.
    const std::string& worker_id() const { return worker_id_; }

  private:
    void WorkLoop();
    void Run(const ClaimedJob& job);
    void HeartbeatLoop();
    void ListenLoop();
    bool stopping() const { return stopping_.load(); }

    db::Database& db_;
    const JobHandlerRegistry& handlers_;
    WorkerPoolOptions options_;
    std::string worker_id_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> running_jobs_{0};
    std::vector<std::thread> threads_;
};

}  // namespace kiln::jobs
