#include "api_fixture.hpp"

#include <cctype>

namespace kiln::testing {

nlohmann::json PointIntegrationAt(const std::string& api, const HeaderList& platform_admin,
                                  const std::string& integration_id, const std::string& base_url,
                                  const std::string& oauth_base_url) {
    nlohmann::json body = {{"base_url", base_url}};
    if (!oauth_base_url.empty()) body["oauth_base_url"] = oauth_base_url;
    HttpClient http;
    const auto response = http.Put(api + "/admin/integrations/" + integration_id + "/endpoint", body, platform_admin);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.status == 200 ? response.Json() : nlohmann::json::object();
}

std::unique_ptr<KilnProcess> ApiTest::server_;
std::string ApiTest::a_owner_, ApiTest::b_owner_, ApiTest::a_tenant_id_, ApiTest::b_tenant_id_;

nlohmann::json ApiTest::Created(const HttpResponse& response) {
    EXPECT_EQ(response.status, 201) << response.body;
    return response.Json();
}

nlohmann::json ApiTest::IssueInvoice(const std::string& customer_id, int64_t amount, const std::string& currency,
                                     const std::string& description) {
    HttpClient http;
    const nlohmann::json line = {
        {"description", description}, {"quantity", 1}, {"unit_price", amount}, {"tax_rate_bp", 0}};
    const nlohmann::json invoice = Created(http.Post(
        Url("/invoices"), nlohmann::json{{"customer_id", customer_id}, {"currency", currency}, {"lines", {line}}},
        As(a_owner_)));
    const auto issued = http.Post(Url("/invoices/" + invoice["id"].get<std::string>() + "/issue"), "", As(a_owner_));
    EXPECT_EQ(issued.status, 200) << issued.body;
    return issued.Json();
}

void ApiTest::SetUpTestSuite() {
    // Outbound calls may reach the tests' loopback receivers, operator-configured ones (endpoint
    // overrides) and tenant-chosen ones (webhook and workflow URLs) alike; failed jobs retry within a second.
    StartPlatform(EnvMap{{"KILN_DEMO_PASSWORD", kDemoPassword},
                         {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                         {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                         {"KILN_JOB_BACKOFF_BASE_MS", "200"},
                         {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,1,1"},
                         {"KILN_WEBHOOK_THROTTLE_SECONDS", "1"},
                         // Provider calls retry after 25–50 ms, then 50–100 ms.
                         {"KILN_PROVIDER_BACKOFF_BASE_MS", "50"}});
}

void ApiTest::StartPlatform(const EnvMap& environment) {
    server_ = std::make_unique<KilnProcess>(environment);
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
    // Through the invitation flow, as a real member joins: the owner invites, the operator prints
    // the link (the suite runs without a mailer), the invitee accepts and chooses the password.
    HttpClient http;
    const auto invited =
        http.Post(Url("/invitations"), nlohmann::json{{"email", email}, {"role", role}}, As(owner_token, tenant));
    EXPECT_EQ(invited.status, 201) << invited.body;
    const std::string slug = http.Get(Url("/tenant"), As(owner_token, tenant)).Json().value("slug", "");
    std::string link;
    EXPECT_EQ(server_->Cli({"admin", "invitation-link", "--email", email, "--tenant", slug}, &link), 0) << link;
    const auto accepted =
        http.Post(Url("/invitations/accept"),
                  nlohmann::json{{"token", InvitationToken(link)}, {"password", kMemberPassword}, {"name", email}});
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    return accepted.Json()["user"].value("id", "");
}

std::string ApiTest::InvitationToken(const std::string& text) {
    const size_t at = text.find("token=");
    if (at == std::string::npos) return "";
    size_t end = at + 6;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_'))
        ++end;
    return text.substr(at + 6, end - at - 6);
}

}  // namespace kiln::testing
