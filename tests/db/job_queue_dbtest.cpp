// The durable job queue (src/jobs/job_queue.cpp) on SQLite and, with KILN_TEST_DATABASE=postgres,
// on PostgreSQL. The clock is passed in, so lease expiry and backoff need no sleeping.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "database_fixture.hpp"
#include "jobs/job_queue.hpp"

namespace kiln {
namespace {

using jobs::ClaimedJob;
using jobs::JobQueue;
using std::chrono::seconds;

class JobQueueTest : public testing::DatabaseTest {
  protected:
    std::string Enqueue(const TenantId& tenant, const std::string& kind, const jobs::EnqueueOptions& options = {}) {
        auto tx = db_->Begin();
        const auto result = JobQueue::Enqueue(db::TenantScope(tx, tenant), kind, {{"n", 1}}, options);
        tx.Commit();
        return result.id;
    }

    std::optional<ClaimedJob> Claim(const std::string& worker, Timestamp now, seconds lease = seconds(30)) {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        auto job = JobQueue::Claim(tx, worker, lease, now);
        tx.Commit();
        return job;
    }

    db::Row JobRow(const std::string& id) {
        auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
        return tx.Exec("SELECT state, attempts, run_at, last_error, locked_by FROM jobs WHERE id = $1", {id}).front();
    }

    template <typename Fn>
    bool InSystemTx(Fn&& fn) {
        auto tx = db_->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const bool result = fn(tx);
        tx.Commit();
        return result;
    }
};

TEST_F(JobQueueTest, EnqueueClaimComplete) {
    const auto tenant = NewTenant("jobs-basic");
    const auto id = Enqueue(tenant.id, "report.build");
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "queued");

    const auto job = Claim("w1", Now());
    ASSERT_TRUE(job);
    EXPECT_EQ(job->id, id);
    EXPECT_EQ(job->tenant, tenant.id);
    EXPECT_EQ(job->kind, "report.build");
    EXPECT_EQ(job->payload, (nlohmann::json{{"n", 1}}));
    EXPECT_EQ(job->attempt, 1);
    EXPECT_EQ(job->max_attempts, jobs::kDefaultMaxAttempts);
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "running");
    EXPECT_EQ(JobRow(id).Get<std::string>("locked_by"), "w1");
    EXPECT_FALSE(Claim("w2", Now())) << "a leased job was claimed twice";

    EXPECT_TRUE(InSystemTx([&](db::Transaction& tx) { return JobQueue::Complete(tx, *job, "w1", Now()); }));
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "succeeded");
    EXPECT_TRUE(JobRow(id).IsNull("locked_by"));
    EXPECT_FALSE(Claim("w1", Now() + seconds(3600)));
}

TEST_F(JobQueueTest, EnqueueIsPartOfTheCallersTransaction) {
    const auto tenant = NewTenant("jobs-rollback");
    {
        auto tx = db_->Begin();
        JobQueue::Enqueue(db::TenantScope(tx, tenant.id), "report.build", nlohmann::json::object());
    }  // rolled back
    EXPECT_FALSE(Claim("w1", Now()));
}

TEST_F(JobQueueTest, FutureRunAtIsNotDueYet) {
    const auto tenant = NewTenant("jobs-later");
    jobs::EnqueueOptions options;
    options.run_at = Now() + seconds(600);
    Enqueue(tenant.id, "later", options);
    EXPECT_FALSE(Claim("w1", Now()));
    EXPECT_TRUE(Claim("w1", Now() + seconds(601)));
}

TEST_F(JobQueueTest, ExpiredLeaseIsReclaimedAndTheOldHolderCannotOverwrite) {
    const auto tenant = NewTenant("jobs-lease");
    const auto id = Enqueue(tenant.id, "report.build");
    const Timestamp start = Now();
    const auto first = Claim("dead-worker", start, seconds(10));
    ASSERT_TRUE(first);
    EXPECT_FALSE(Claim("w2", start + seconds(5))) << "claimed before the lease expired";

    const auto second = Claim("w2", start + seconds(11));
    ASSERT_TRUE(second) << "an expired lease was not reclaimed";
    EXPECT_EQ(second->id, id);
    EXPECT_EQ(second->attempt, 2);
    EXPECT_FALSE(InSystemTx(
        [&](db::Transaction& tx) { return JobQueue::Complete(tx, *first, "dead-worker", start + seconds(12)); }));
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "running");
    EXPECT_TRUE(InSystemTx([&](db::Transaction& tx) { return JobQueue::Complete(tx, *second, "w2", Now()); }));
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "succeeded");
}

TEST_F(JobQueueTest, RenewedLeaseIsNotReclaimed) {
    const auto tenant = NewTenant("jobs-renew");
    Enqueue(tenant.id, "report.build");
    const Timestamp start = Now();
    ASSERT_TRUE(Claim("w1", start, seconds(10)));
    EXPECT_EQ(InSystemTx([&](db::Transaction& tx) {
                  return JobQueue::RenewLeases(tx, "w1", start + seconds(30), start + seconds(8)) == 1;
              }),
              true);
    EXPECT_FALSE(Claim("w2", start + seconds(20)));
    EXPECT_TRUE(Claim("w2", start + seconds(31)));
}

TEST_F(JobQueueTest, FailuresBackOffThenTheJobIsDead) {
    const auto tenant = NewTenant("jobs-fail");
    jobs::EnqueueOptions options;
    options.max_attempts = 3;
    const auto id = Enqueue(tenant.id, "flaky", options);
    Timestamp now = Now();
    const std::string long_error(5000, 'x');
    for (int attempt = 1; attempt <= 3; ++attempt) {
        const auto job = Claim("w1", now);
        ASSERT_TRUE(job) << "attempt " << attempt;
        EXPECT_EQ(job->attempt, attempt);
        const Timestamp retry_at = now + seconds(60);
        EXPECT_TRUE(
            InSystemTx([&](db::Transaction& tx) { return JobQueue::Fail(tx, *job, "w1", long_error, retry_at, now); }));
        const auto row = JobRow(id);
        EXPECT_EQ(row.Get<int64_t>("attempts"), attempt);
        EXPECT_EQ(row.Get<std::string>("last_error").size(), jobs::kMaxErrorBytes);
        if (attempt < 3) {
            EXPECT_EQ(row.Get<std::string>("state"), "failed");
            EXPECT_EQ(FormatTimestamp(row.Get<Timestamp>("run_at")), FormatTimestamp(retry_at));
            EXPECT_FALSE(Claim("w1", now + seconds(30))) << "retried before its backoff";
            now += seconds(61);
        } else {
            EXPECT_EQ(row.Get<std::string>("state"), "dead");
        }
    }
    EXPECT_FALSE(Claim("w1", now + seconds(100000)));
}

TEST_F(JobQueueTest, KillMakesTheJobDeadAtOnce) {
    const auto tenant = NewTenant("jobs-kill");
    const auto id = Enqueue(tenant.id, "no.such.kind");
    const auto job = Claim("w1", Now());
    ASSERT_TRUE(job);
    EXPECT_TRUE(InSystemTx([&](db::Transaction& tx) { return JobQueue::Kill(tx, *job, "w1", "unknown kind", Now()); }));
    EXPECT_EQ(JobRow(id).Get<std::string>("state"), "dead");
    EXPECT_EQ(JobRow(id).Get<std::string>("last_error"), "unknown kind");
}

TEST_F(JobQueueTest, DedupeKeyMakesEnqueueIdempotent) {
    const auto a = NewTenant("jobs-dedupe-a");
    const auto b = NewTenant("jobs-dedupe-b");
    jobs::EnqueueOptions options;
    options.dedupe_key = "webhook:evt-1";
    jobs::EnqueueResult first;
    jobs::EnqueueResult again;
    {
        auto tx = db_->Begin();  // SQLite's write lock lasts until the transaction is destroyed
        first = JobQueue::Enqueue(db::TenantScope(tx, a.id), "deliver", {}, options);
        again = JobQueue::Enqueue(db::TenantScope(tx, a.id), "deliver", {}, options);
        tx.Commit();
    }
    EXPECT_TRUE(first.created);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.id, first.id);
    // Keys are per tenant.
    EXPECT_NE(Enqueue(b.id, "deliver", options), first.id);
    auto read = db_->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    EXPECT_EQ(read.Exec("SELECT COUNT(*) AS n FROM jobs").front().Get<int64_t>("n"), 2);
}

TEST_F(JobQueueTest, OneTenantsBacklogDoesNotStarveAnother) {
    const auto busy = NewTenant("jobs-busy");
    const auto quiet = NewTenant("jobs-quiet");
    const Timestamp earlier = Now() - seconds(60);
    {
        auto tx = db_->Begin();
        db::TenantScope scope(tx, busy.id);
        jobs::EnqueueOptions options;
        options.run_at = earlier;  // older than the quiet tenant's job: plain FIFO would serve all 200 first
        for (int i = 0; i < 200; ++i) JobQueue::Enqueue(scope, "bulk", {{"i", i}}, options);
        tx.Commit();
    }
    const auto quiet_job = Enqueue(quiet.id, "single");
    std::vector<std::string> claimed;
    for (int i = 0; i < 2; ++i) {
        const auto job = Claim("w1", Now());
        ASSERT_TRUE(job);
        claimed.push_back(job->id);
    }
    EXPECT_NE(std::find(claimed.begin(), claimed.end(), quiet_job), claimed.end())
        << "the quiet tenant's job was not among the first two claims";
}

TEST_F(JobQueueTest, TenantsTakeTurns) {
    const auto a = NewTenant("jobs-turn-a");
    const auto b = NewTenant("jobs-turn-b");
    for (int i = 0; i < 3; ++i) {
        Enqueue(a.id, "a");
        Enqueue(b.id, "b");
    }
    std::vector<std::string> kinds;
    for (int i = 0; i < 6; ++i) {
        const auto job = Claim("w1", Now());
        ASSERT_TRUE(job);
        kinds.push_back(job->kind);
    }
    for (size_t i = 1; i < kinds.size(); ++i) EXPECT_NE(kinds[i], kinds[i - 1]) << "claim " << i;
}

TEST_F(JobQueueTest, ListAndCounts) {
    const auto tenant = NewTenant("jobs-list");
    Enqueue(tenant.id, "one");
    const auto newest = Enqueue(tenant.id, "two");
    auto tx = db_->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    const auto all = JobQueue::List(tx, std::nullopt, std::nullopt, 10);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0]["id"], newest);
    EXPECT_EQ(all[0]["state"], "queued");
    EXPECT_FALSE(all[0].contains("payload"));
    EXPECT_TRUE(JobQueue::List(tx, std::string("dead"), std::nullopt, 10).empty());
    EXPECT_EQ(JobQueue::List(tx, std::nullopt, newest, 10).size(), 1U);
    const auto counts = JobQueue::Counts(tx);
    EXPECT_EQ(counts["by_state"]["queued"], 2);
    EXPECT_EQ(counts["by_state"]["dead"], 0);
    EXPECT_EQ(counts["by_kind"].size(), 2U);
}

TEST_F(JobQueueTest, ConcurrentClaimsNeverShareAJob) {
    const auto tenant = NewTenant("jobs-concurrent");
    {
        auto tx = db_->Begin();
        db::TenantScope scope(tx, tenant.id);
        for (int i = 0; i < 40; ++i) JobQueue::Enqueue(scope, "bulk", {{"i", i}});
        tx.Commit();
    }
    std::mutex mutex;
    std::multiset<std::string> ids;
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&, t] {
            while (true) {
                const auto job = Claim("w" + std::to_string(t), Now());
                if (!job) return;
                std::lock_guard lock(mutex);
                ids.insert(job->id);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ids.size(), 40U);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 40U);
}

TEST_F(JobQueueTest, JobsAreTenantRowsOnPostgres) {
    ASSERT_EQ(db_->dialect(), db::Dialect::kPostgres);
    const auto a = NewTenant("jobs-rls-a");
    const auto b = NewTenant("jobs-rls-b");
    Enqueue(a.id, "a");
    Enqueue(b.id, "b");
    auto tx = db_->Begin({db::Access::kReadOnly});
    db::TenantScope scope(tx, a.id);
    const auto rows = tx.Exec("SELECT kind FROM jobs");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows.front().Get<std::string>("kind"), "a");
}

}  // namespace
}  // namespace kiln
