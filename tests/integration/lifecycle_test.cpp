// The process as an operator sees it: CLI commands, graceful shutdown, restart on the same data.
#include <pqxx/pqxx>
#include <thread>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

TEST(Lifecycle, VersionAndHelp) {
    std::string out;
    EXPECT_EQ(KilnProcess::RunCli({"--version"}, {}, &out), 0);
    EXPECT_NE(out.find("kiln "), std::string::npos);
    EXPECT_EQ(KilnProcess::RunCli({"serve", "--help"}, {}, &out), 0);
    EXPECT_NE(out.find("--port"), std::string::npos);
    EXPECT_NE(out.find("KILN_DATABASE_URL"), std::string::npos);
    EXPECT_NE(KilnProcess::RunCli({"no-such-command"}, {}, &out), 0);
}

TEST(Lifecycle, EmptyDatabaseGetsADemoTenantPrintedOnce) {
    KilnProcess server;
    server.Start();
    const std::string out = server.Output();
    EXPECT_NE(out.find("owner@demo.kiln.local"), std::string::npos) << out;
    EXPECT_NE(out.find("/api/docs"), std::string::npos);
    const auto at = out.find("password: ");
    ASSERT_NE(at, std::string::npos);
    const std::string password = out.substr(at + 10, out.find(' ', at + 10) - at - 10);
    HttpClient http;
    const auto login = http.Post(server.base_url() + "/api/v1/auth/login",
                                 json{{"email", "owner@demo.kiln.local"}, {"password", password}});
    EXPECT_EQ(login.status, 200) << login.body;
    EXPECT_EQ(server.Stop(), 0);
    server.Start();  // same data: no second demo tenant, no second password
    EXPECT_EQ(server.Output().find("password: ", at + 10), std::string::npos);
}

TEST(Lifecycle, AdminCommandsCreateTenantUserAndWorkingToken) {
    KilnProcess server({{"KILN_SEED_DEMO", "0"}});
    std::string out;
    ASSERT_EQ(server.Cli({"migrate"}, &out), 0) << out;
    ASSERT_EQ(server.Cli({"admin", "create-tenant", "--name", "Gamma Goods"}, &out), 0) << out;
    EXPECT_NE(out.find("\"slug\":\"gamma-goods\""), std::string::npos) << out;
    EXPECT_NE(server.Cli({"admin", "create-tenant", "--name", "Again", "--slug", "gamma-goods"}, &out), 0);
    EXPECT_NE(out.find("slug"), std::string::npos) << out;
    ASSERT_EQ(server.Cli({"admin", "create-user", "--email", "ops@gamma.test", "--password", "gamma-password-1",
                          "--tenant", "gamma-goods", "--role", "admin"},
                         &out),
              0)
        << out;
    EXPECT_NE(server.Cli({"admin", "create-user", "--email", "short@gamma.test", "--password", "short"}, &out), 0);
    ASSERT_EQ(server.Cli({"admin", "create-token", "--email", "ops@gamma.test", "--tenant", "gamma-goods"}, &out), 0)
        << out;
    const std::string token = out.substr(out.find("kiln_pat_"), 9 + 43);
    server.Start();
    HttpClient http;
    const auto tenant = http.Get(server.base_url() + "/api/v1/tenant", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(tenant.status, 200) << tenant.body;
    EXPECT_EQ(tenant.Json()["slug"], "gamma-goods");
    ASSERT_EQ(server.Cli({"admin", "verify-audit", "--tenant", "gamma-goods"}, &out), 0) << out;
    EXPECT_NE(out.find("\"ok\":true"), std::string::npos) << out;
    EXPECT_NE(out.find("\"checked\":3"), std::string::npos) << out;
}

TEST(Lifecycle, SigtermFinishesInFlightRequestsThenExitsZero) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}});
    server.Start();
    const std::string url = server.base_url() + "/api/v1/auth/login";
    // Sign-in hashes with argon2id (tens of milliseconds): a request that is still running when
    // the signal arrives.
    std::vector<long> statuses(4, 0);
    std::vector<std::thread> clients;
    for (size_t i = 0; i < statuses.size(); ++i) {
        clients.emplace_back([&, i] {
            try {
                HttpClient http;
                statuses[i] =
                    http.Post(url, json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}}).status;
            } catch (const std::exception&) {
                statuses[i] = -1;  // not yet connected when the listener closed
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(server.Stop(SIGTERM), 0) << server.Output();
    for (auto& c : clients) c.join();
    for (long status : statuses) EXPECT_TRUE(status == 200 || status == 503 || status == -1) << status;
    EXPECT_GE(std::count(statuses.begin(), statuses.end(), 200L), 1) << "in-flight sign-ins must complete";
    HttpClient late;
    EXPECT_THROW(late.Get(server.base_url() + "/api/v1/health/live"), std::runtime_error);
}

TEST(Lifecycle, SigintAlsoStopsCleanly) {
    KilnProcess server;
    server.Start();
    EXPECT_EQ(server.Stop(SIGINT), 0);
}

}  // namespace
}  // namespace kiln::testing

namespace kiln::testing {
namespace {

// The server's database connections are killed under it (as a failover or restart would):
// readiness reports the outage, then recovers by itself as connections are reopened.
TEST(Lifecycle, ReadinessRecoversAfterLostConnectionsOnPostgres) {
    KilnProcess server;
    server.Start();
    ASSERT_TRUE(server.uses_postgres());
    HttpClient http;
    const std::string ready = server.base_url() + "/api/v1/health/ready";
    ASSERT_EQ(http.Get(ready).status, 200);
    {
        pqxx::connection admin(std::getenv("KILN_TEST_PG_URL"));
        const std::string database = admin.quote(server.database_url().substr(server.database_url().rfind('/') + 1));
        pqxx::nontransaction(admin).exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                                         database);
    }
    // Each pooled connection that was killed fails once (503, never 500) and is replaced.
    int recovered_after = -1;
    for (int attempt = 0; attempt < 40 && recovered_after < 0; ++attempt) {
        const auto r = http.Get(ready);
        ASSERT_TRUE(r.status == 200 || r.status == 503) << r.status << " " << r.body;
        if (r.status == 200) recovered_after = attempt;
    }
    EXPECT_GE(recovered_after, 0) << "readiness did not recover";
    EXPECT_EQ(http.Get(server.base_url() + "/api/v1/health").Json()["components"]["database"]["status"], "up");
}

}  // namespace
}  // namespace kiln::testing
