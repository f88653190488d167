// Jobs processed per second with no-op handlers, through the real queue and worker pool.
//
//   kiln_job_bench [--database URL] [--jobs N] [--tenants T] [--threads W]
//
// Without --database it uses a fresh SQLite file in a temporary directory. It creates T tenants,
// enqueues N no-op jobs spread over them (in transactions of 500), then starts W worker threads and
// reports enqueue and processing rates. Figures are for information: nothing asserts on them.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "core/log.hpp"
#include "db/migration.hpp"
#include "jobs/job_handler.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/worker_pool.hpp"
#include "modules/tenancy/tenancy_repository.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

int64_t CountSucceeded(kiln::db::Database& db) {
    auto tx = db.Begin({kiln::db::Access::kReadOnly, kiln::db::Visibility::kSystem});
    return tx.Exec("SELECT COUNT(*) FROM jobs WHERE kind = 'bench.noop' AND state = 'succeeded'")
        .front()
        .Get<int64_t>(0);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("Kiln job queue benchmark: no-op jobs per second");
    std::string url;
    int64_t jobs = 20000;
    int tenants = 10;
    size_t threads = 2;
    app.add_option("--database", url, "Database URL (default: a fresh SQLite file)");
    app.add_option("--jobs", jobs, "Jobs to process")->capture_default_str();
    app.add_option("--tenants", tenants, "Tenants the jobs are spread over")->capture_default_str();
    app.add_option("--threads", threads, "Worker threads")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    kiln::log::Init("warn");

    std::filesystem::path temp;
    if (url.empty()) {
        temp = std::filesystem::temp_directory_path() / ("kiln-job-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(temp);
        url = "sqlite://" + (temp / "kiln.db").string();
    }
    auto db = kiln::db::Database::Open(url, threads + 2);
    kiln::db::ApplyMigrations(*db);

    std::vector<kiln::TenantId> tenant_ids;
    {
        auto tx = db->Begin({kiln::db::Access::kReadWrite, kiln::db::Visibility::kSystem});
        const std::string run = std::to_string(::getpid());
        for (int i = 0; i < tenants; ++i)
            tenant_ids.push_back(kiln::tenancy::TenancyRepository::CreateTenant(
                                     tx, "Bench " + std::to_string(i), "bench-" + run + "-" + std::to_string(i))
                                     .id);
        tx.Commit();
    }

    const auto enqueue_start = Clock::now();
    constexpr int64_t kBatch = 500;
    for (int64_t done = 0; done < jobs;) {
        auto tx = db->Begin({kiln::db::Access::kReadWrite, kiln::db::Visibility::kTenant});
        const auto& tenant = tenant_ids[static_cast<size_t>(done / kBatch) % tenant_ids.size()];
        const kiln::db::TenantScope scope(tx, tenant);
        for (int64_t i = 0; i < kBatch && done < jobs; ++i, ++done)
            kiln::jobs::JobQueue::Enqueue(scope, "bench.noop", {{"n", done}});
        tx.Commit();
    }
    const double enqueue_seconds = Seconds(Clock::now() - enqueue_start);

    kiln::jobs::JobHandlerRegistry handlers;
    handlers.Register("bench.noop", [](const kiln::jobs::JobContext&) {});
    kiln::jobs::WorkerPoolOptions options;
    options.threads = threads;
    options.idle_poll = std::chrono::milliseconds(10);
    if (db->dialect() == kiln::db::Dialect::kPostgres) options.listen_url = url;
    kiln::jobs::WorkerPool workers(*db, handlers, options);
    const auto run_start = Clock::now();
    workers.Start();
    int64_t succeeded = 0;
    while ((succeeded = CountSucceeded(*db)) < jobs) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double run_seconds = Seconds(Clock::now() - run_start);
    workers.Stop();

    const char* backend = db->dialect() == kiln::db::Dialect::kPostgres ? "postgres" : "sqlite";
    std::printf("backend=%s jobs=%lld tenants=%d threads=%zu\n", backend, static_cast<long long>(jobs), tenants,
                threads);
    std::printf("enqueue:  %.0f jobs/s (%.2f s, transactions of %lld)\n", static_cast<double>(jobs) / enqueue_seconds,
                enqueue_seconds, static_cast<long long>(kBatch));
    std::printf("process:  %.0f jobs/s (%.2f s, claim + no-op + complete per job)\n",
                static_cast<double>(succeeded) / run_seconds, run_seconds);
    db.reset();
    if (!temp.empty()) std::filesystem::remove_all(temp);
    return 0;
}
