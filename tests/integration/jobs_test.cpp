// Jobs through the real binary: a killed process's job is retried after its lease, failing jobs
// end dead, and the platform view needs admin:system:read.
#include <thread>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

using JobsApi = ApiTest;

TEST_F(JobsApi, ListNeedsAdminSystemRead) {
    const auto denied = http_.Get(Url("/jobs"), As(b_owner_));
    EXPECT_EQ(denied.status, 403) << denied.body;
    const auto allowed = http_.Get(Url("/jobs"), As(a_owner_));
    ASSERT_EQ(allowed.status, 200) << allowed.body;
    const json body = allowed.Json();
    EXPECT_TRUE(body["data"].is_array());
    EXPECT_TRUE(body["counts"]["by_state"].contains("dead"));
    EXPECT_EQ(http_.Get(Url("/jobs?state=sleeping"), As(a_owner_)).status, 422);
}

/// A server that runs the test job kinds with a short lease and fast retries.
class JobsProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        server_.Start();
        const auto login = http_.Post(server_.base_url() + "/api/v1/auth/login",
                                      json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
        ASSERT_EQ(login.status, 200) << login.body;
        token_ = login.Json()["token"];
    }

    std::string Enqueue(const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"admin", "enqueue-job", "--tenant", "demo"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::string out;
        EXPECT_EQ(server_.Cli(args, &out), 0) << out;
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
    }

    /// The job as GET /jobs shows it, or null.
    json Job(const std::string& id) {
        const auto response =
            http_.Get(server_.base_url() + "/api/v1/jobs?limit=200", {{"Authorization", "Bearer " + token_}});
        if (response.status != 200) return nullptr;
        const json listed = response.Json();  // kept alive: the loop below refers into it
        for (const auto& job : listed["data"])
            if (job["id"] == id) return job;
        return nullptr;
    }

    /// Polls until the job is in `state`; returns the job (null when the wait ran out).
    json AwaitState(const std::string& id, const std::string& state, std::chrono::seconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            json job = Job(id);
            if (job.is_object() && job["state"] == state) return job;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return nullptr;
    }

    KilnProcess server_{{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_TEST_JOB_KINDS", "1"},
                        {"KILN_JOB_LEASE_SECONDS", "2"},
                        {"KILN_JOB_BACKOFF_BASE_MS", "100"}};
    HttpClient http_;
    std::string token_;
};

TEST_F(JobsProcess, JobOfAKilledProcessCompletesAfterRestart) {
    const std::string id = Enqueue({"--kind", "test.sleep", "--payload", R"({"ms":3000})"});
    ASSERT_FALSE(Job(id).is_null()) << "enqueue-job printed " << id;
    ASSERT_FALSE(AwaitState(id, "running", std::chrono::seconds(15)).is_null()) << server_.Output();
    EXPECT_EQ(server_.Stop(SIGKILL), 128 + SIGKILL);

    server_.Start();  // same data; the job's lease runs out and a worker takes it again
    const json job = AwaitState(id, "succeeded", std::chrono::seconds(30));
    ASSERT_FALSE(job.is_null()) << Job(id).dump() << "\n" << server_.Output();
    EXPECT_EQ(job["attempts"], 2);
}

TEST_F(JobsProcess, FailingJobIsRetriedThenDead) {
    const std::string id = Enqueue({"--kind", "test.fail", "--max-attempts", "3"});
    const json job = AwaitState(id, "dead", std::chrono::seconds(30));
    ASSERT_FALSE(job.is_null()) << Job(id).dump() << "\n" << server_.Output();
    EXPECT_EQ(job["attempts"], 3);
    EXPECT_NE(job["last_error"].get<std::string>().find("test.fail always fails"), std::string::npos) << job;
}

TEST_F(JobsProcess, UnknownKindIsDeadAtOnce) {
    const std::string id = Enqueue({"--kind", "no.such.kind"});
    const json job = AwaitState(id, "dead", std::chrono::seconds(15));
    ASSERT_FALSE(job.is_null()) << Job(id).dump();
    EXPECT_EQ(job["attempts"], 1);
    EXPECT_NE(job["last_error"].get<std::string>().find("no.such.kind"), std::string::npos) << job;
}

TEST_F(JobsProcess, DedupeKeyEnqueuesOnce) {
    const std::string first = Enqueue({"--kind", "test.sleep", "--dedupe-key", "once"});
    const std::string second = Enqueue({"--kind", "test.sleep", "--dedupe-key", "once"});
    EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace kiln::testing
