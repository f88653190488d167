#include "api_fixture.hpp"

namespace kiln::testing {

std::unique_ptr<KilnProcess> ApiTest::server_;
std::string ApiTest::a_owner_, ApiTest::b_owner_, ApiTest::a_tenant_id_, ApiTest::b_tenant_id_;

void ApiTest::SetUpTestSuite() {
    // Outbound calls may reach the tests' loopback receivers; failed jobs retry within a second.
    server_ = std::make_unique<KilnProcess>(EnvMap{{"KILN_DEMO_PASSWORD", kDemoPassword},
                                                   {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                                                   {"KILN_JOB_BACKOFF_BASE_MS", "200"},
                                                   {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,1,1"},
                                                   {"KILN_WEBHOOK_THROTTLE_SECONDS", "1"},
                                                   // Provider calls retry after 25–50 ms, then 50–100 ms.
                                                   {"KILN_PROVIDER_BACKOFF_BASE_MS", "50"}});
    server_->Start();
    std::string out;
    ASSERT_EQ(server_->Cli({"admin", "create-tenant", "--name", "Beta Ltd", "--slug", "beta"}, &out), 0) << out;
    ASSERT_EQ(server_->Cli({"admin", "create-user", "--email", "owner@beta.test", "--password", kBetaPassword,
                            "--tenant", "beta", "--role", "owner"},
                           &out),
              0)
        << out;
    a_owner_ = Login("owner@demo.kiln.local", kDemoPassword);
    b_owner_ = Login("owner@beta.test", kBetaPassword);
    HttpClient http;
    a_tenant_id_ = http.Get(Url("/tenant"), As(a_owner_)).Json()["id"];
    b_tenant_id_ = http.Get(Url("/tenant"), As(b_owner_)).Json()["id"];
}

void ApiTest::TearDownTestSuite() {
    server_.reset();
}

std::string ApiTest::Login(const std::string& email, const std::string& password) {
    HttpClient http;
    const auto response = http.Post(Url("/auth/login"), nlohmann::json{{"email", email}, {"password", password}});
    EXPECT_EQ(response.status, 200) << response.body;
    return response.Json().value("token", "");
}

std::string ApiTest::AddMember(const std::string& owner_token, const std::string& tenant, const std::string& email,
                               const std::string& role) {
    HttpClient http;
    const auto response =
        http.Post(Url("/members"),
                  nlohmann::json{{"email", email}, {"role", role}, {"name", email}, {"password", "member-password-1"}},
                  As(owner_token, tenant));
    EXPECT_EQ(response.status, 201) << response.body;
    return response.Json().value("user_id", "");
}

}  // namespace kiln::testing
