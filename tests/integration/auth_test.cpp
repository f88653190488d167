// Sign-in, sessions, personal API tokens and tenant selection against the real binary.
#include <thread>

#include "api_fixture.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Auth : public ApiTest {};

TEST_F(Auth, LoginReturnsTokenUserAndTenants) {
    const auto r =
        http_.Post(Url("/auth/login"), json{{"email", "OWNER@demo.kiln.local"}, {"password", kDemoPassword}});
    ASSERT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    EXPECT_EQ(body["token"].get<std::string>().rfind("kiln_ses_", 0), 0U);
    EXPECT_EQ(body["user"]["email"], "owner@demo.kiln.local");
    EXPECT_TRUE(body["user"]["is_platform_admin"].get<bool>());
    EXPECT_FALSE(body["user"].contains("password_hash"));
    ASSERT_EQ(body["tenants"].size(), 1U);
    EXPECT_EQ(body["tenants"][0]["slug"], "demo");
    EXPECT_EQ(body["tenants"][0]["role"], "owner");
    EXPECT_FALSE(body["expires_at"].get<std::string>().empty());
}

TEST_F(Auth, WrongPasswordAndUnknownEmailLookTheSame) {
    const auto wrong =
        http_.Post(Url("/auth/login"), json{{"email", "owner@beta.test"}, {"password", "nope-nope-nope"}});
    const auto unknown =
        http_.Post(Url("/auth/login"), json{{"email", "ghost@nowhere.test"}, {"password", "nope-nope-nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.Json()["detail"], unknown.Json()["detail"]);
}

TEST_F(Auth, MeDescribesTheCaller) {
    const json me = http_.Get(Url("/auth/me"), As(b_owner_)).Json();
    EXPECT_EQ(me["user"]["email"], "owner@beta.test");
    EXPECT_EQ(me["credential"], "session");
    ASSERT_EQ(me["tenants"].size(), 1U);
    EXPECT_EQ(me["tenants"][0]["slug"], "beta");
}

TEST_F(Auth, LogoutRevokesTheSession) {
    const std::string token = Login("owner@beta.test", kBetaPassword);
    EXPECT_EQ(http_.Get(Url("/auth/me"), As(token)).status, 200);
    EXPECT_EQ(http_.Post(Url("/auth/logout"), "", As(token)).status, 204);
    const auto after = http_.Get(Url("/auth/me"), As(token));
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.Header("content-type"), "application/problem+json");
}

TEST_F(Auth, ApiTokenIsShownOnceStoredHashedAndWorks) {
    const auto created = http_.Post(Url("/tokens"), json{{"name", "ci"}}, As(b_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token = created.Json()["token"];
    const std::string id = created.Json()["id"];
    EXPECT_EQ(token.rfind("kiln_pat_", 0), 0U);
    const auto listed = http_.Get(Url("/tokens/" + id), As(b_owner_));
    EXPECT_EQ(listed.body.find(token), std::string::npos) << "the token must never be shown again";
    EXPECT_FALSE(listed.Json().contains("token"));
    const json me = http_.Get(Url("/auth/me"), As(token)).Json();
    EXPECT_EQ(me["credential"], "api_token");
    EXPECT_EQ(http_.Get(Url("/roles"), As(token)).status, 200);
    EXPECT_EQ(http_.Post(Url("/auth/logout"), "", As(token)).status, 400);
}

TEST_F(Auth, RevokedApiTokenIsRefused) {
    const auto created = http_.Post(Url("/tokens"), json{{"name", "short-lived"}}, As(b_owner_)).Json();
    const std::string token = created["token"];
    EXPECT_EQ(http_.Get(Url("/roles"), As(token)).status, 200);
    EXPECT_EQ(http_.Delete(Url("/tokens/" + created["id"].get<std::string>()), As(b_owner_)).status, 204);
    const auto after = http_.Get(Url("/roles"), As(token));
    EXPECT_EQ(after.status, 401);
    EXPECT_NE(after.Json()["detail"].get<std::string>().find("revoked"), std::string::npos);
}

TEST_F(Auth, ExpiredApiTokenIsRefused) {
    const auto soon = std::chrono::system_clock::now() + std::chrono::seconds(2);
    const std::time_t t = std::chrono::system_clock::to_time_t(soon);
    char expires[32];
    std::strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    const auto created = http_.Post(Url("/tokens"), json{{"name", "expiring"}, {"expires_at", expires}}, As(b_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token = created.Json()["token"];
    // Polled, not slept: it is refused from the second it expires, whenever the test gets there.
    HttpResponse after;
    EXPECT_TRUE(Eventually([&] {
        after = http_.Get(Url("/roles"), As(token));
        return after.status == 401;
    })) << after.body;
    EXPECT_NE(after.Json()["detail"].get<std::string>().find("expired"), std::string::npos);
    EXPECT_EQ(
        http_.Post(Url("/tokens"), json{{"name", "past"}, {"expires_at", "2001-01-01T00:00:00Z"}}, As(b_owner_)).status,
        422);
}

TEST_F(Auth, ApiTokenIsBoundToItsTenant) {
    const std::string token = http_.Post(Url("/tokens"), json{{"name", "bound"}}, As(a_owner_)).Json()["token"];
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token)).Json()["slug"], "demo");
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token, "demo")).status, 200);
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token, "beta")).status, 404);
}

TEST_F(Auth, ApiTokenPermissionsNarrowButNeverWiden) {
    const auto narrowed = http_.Post(
        Url("/tokens"), json{{"name", "read-roles"}, {"permissions", json::array({"roles:read"})}}, As(b_owner_));
    ASSERT_EQ(narrowed.status, 201) << narrowed.body;
    const std::string token = narrowed.Json()["token"];
    EXPECT_EQ(http_.Get(Url("/roles"), As(token)).status, 200);
    EXPECT_EQ(http_.Get(Url("/members"), As(token)).status, 403);
    EXPECT_EQ(http_.Post(Url("/roles"), json{{"name", "nope"}, {"permissions", json::array()}}, As(token)).status, 403);

    const std::string viewer_email = "viewer-" + std::to_string(std::rand()) + "@beta.test";
    AddMember(b_owner_, "", viewer_email, "viewer");
    const std::string viewer = Login(viewer_email, "member-password-1");
    const auto widen =
        http_.Post(Url("/tokens"), json{{"name", "wider"}, {"permissions", json::array({"roles:create"})}}, As(viewer));
    EXPECT_EQ(widen.status, 422) << widen.body;
    const auto platform = http_.Post(
        Url("/tokens"), json{{"name", "admin"}, {"permissions", json::array({"admin:system:write"})}}, As(viewer));
    EXPECT_EQ(platform.status, 422);
}

TEST_F(Auth, SessionChoosesTenantByHeaderWhenAMemberOfSeveral) {
    const std::string email = "two-tenants-" + std::to_string(std::rand()) + "@example.test";
    AddMember(a_owner_, "demo", email, "viewer");
    // An existing account joins a second tenant by accepting B's invitation, signed in as itself.
    const std::string token = Login(email, kMemberPassword);
    ASSERT_EQ(http_.Post(Url("/invitations"), json{{"email", email}, {"role", "sales"}}, As(b_owner_)).status, 201);
    std::string link;
    ASSERT_EQ(server_->Cli({"admin", "invitation-link", "--email", email, "--tenant", "beta"}, &link), 0) << link;
    const auto accepted = http_.Post(Url("/invitations/accept"), json{{"token", InvitationToken(link)}}, As(token));
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token)).status, 400);
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token, "demo")).Json()["slug"], "demo");
    EXPECT_EQ(http_.Get(Url("/tenant"), As(token, "beta")).Json()["slug"], "beta");
    EXPECT_EQ(http_.Get(Url("/auth/me"), As(token)).Json()["tenants"].size(), 2U);
}

TEST(AuthRateLimit, RepeatedFailuresAreRefusedWith429) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_LOGIN_MAX_FAILURES", "3"}});
    server.Start();
    HttpClient http;
    const std::string url = server.base_url() + "/api/v1/auth/login";
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(http.Post(url, json{{"email", "owner@demo.kiln.local"}, {"password", "wrong-password"}}).status, 401);
    const auto locked = http.Post(url, json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    EXPECT_EQ(locked.status, 429) << "the right password must not get through a lockout";
    EXPECT_FALSE(locked.Header("retry-after").empty());
    EXPECT_EQ(locked.Header("content-type"), "application/problem+json");
}

/// The sign-in limiter (issue 12 item 11): counters in the database, IPv6 by /64, forwarding headers
/// only from trusted proxies, back-off per (account, address) instead of a lock anyone can set.
class LoginLimiter : public ::testing::Test {
  protected:
    static int SignIn(HttpClient& http, KilnProcess& server, const std::string& password,
                      const std::string& forwarded_for = "") {
        HeaderList headers;
        if (!forwarded_for.empty()) headers.emplace_back("X-Forwarded-For", forwarded_for);
        return static_cast<int>(http.Post(server.base_url() + "/api/v1/auth/login",
                                          json{{"email", "owner@demo.kiln.local"}, {"password", password}}, headers)
                                    .status);
    }
    HttpClient http_;
};

TEST_F(LoginLimiter, TwoProcessesOnOneDatabaseShareTheLimit) {
    KilnProcess first({{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_LOGIN_MAX_FAILURES", "3"}});
    first.Start();
    const std::string shared =
        first.uses_postgres() ? first.database_url() : "sqlite://" + first.data_dir() + "/kiln.db";
    KilnProcess second({{"KILN_DATABASE_URL", shared}, {"KILN_LOGIN_MAX_FAILURES", "3"}});
    second.Start();
    // Failures spread over both processes add up: 2 on the first, 1 on the second.
    EXPECT_EQ(SignIn(http_, first, "wrong-password"), 401);
    EXPECT_EQ(SignIn(http_, first, "wrong-password"), 401);
    EXPECT_EQ(SignIn(http_, second, "wrong-password"), 401);
    EXPECT_EQ(SignIn(http_, first, kDemoPassword), 429);
    EXPECT_EQ(SignIn(http_, second, kDemoPassword), 429) << "the second process must see the first's failures";
}

TEST_F(LoginLimiter, ForwardedForFromAnUntrustedPeerIsIgnored) {
    // No KILN_TRUSTED_PROXIES: an attacker rotating X-Forwarded-For stays one address.
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_LOGIN_MAX_FAILURES", "3"}});
    server.Start();
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(SignIn(http_, server, "wrong-password", "203.0.113." + std::to_string(i)), 401);
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "198.51.100.7"), 429)
        << "a spoofed X-Forwarded-For must not give a fresh record";
    const auto forwarded = http_.Post(server.base_url() + "/api/v1/auth/login",
                                      json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}},
                                      {{"Forwarded", "for=198.51.100.8"}});
    EXPECT_EQ(forwarded.status, 429);
}

TEST_F(LoginLimiter, Ipv6AddressesInOneSlash64CountTogether) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_LOGIN_MAX_FAILURES", "3"},
                        {"KILN_TRUSTED_PROXIES", "127.0.0.1/32"}});
    server.Start();
    EXPECT_EQ(SignIn(http_, server, "wrong-password", "2001:db8:1:2::1"), 401);
    EXPECT_EQ(SignIn(http_, server, "wrong-password", "2001:db8:1:2::abcd"), 401);
    EXPECT_EQ(SignIn(http_, server, "wrong-password", "2001:db8:1:2:ffff:ffff:ffff:fffe"), 401);
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "2001:db8:1:2:1234::9"), 429) << "same /64, same record";
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "2001:db8:1:3::1"), 200) << "the next /64 is someone else";
}

TEST_F(LoginLimiter, OwnerSignsInFromACleanAddressDuringAFlood) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_LOGIN_MAX_FAILURES", "3"},
                        {"KILN_TRUSTED_PROXIES", "127.0.0.1/32"}});
    server.Start();
    // The attacker floods the account from its own addresses; each backs off, none locks the account.
    int refused = 0;
    for (int i = 0; i < 20; ++i) {
        const int status = SignIn(http_, server, "guess-" + std::to_string(i), "203.0.113." + std::to_string(i % 4));
        EXPECT_TRUE(status == 401 || status == 429) << status;
        refused += status == 429 ? 1 : 0;
    }
    EXPECT_GT(refused, 0) << "the flooding addresses must be slowed down";
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "203.0.113.1"), 429) << "not even the right password from there";
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "198.51.100.20"), 200)
        << "the owner's own address has a clean record and gets in";
    // During the attack a clean address backs off after a single failure.
    EXPECT_EQ(SignIn(http_, server, "typo-password", "198.51.100.21"), 401);
    EXPECT_EQ(SignIn(http_, server, kDemoPassword, "198.51.100.21"), 429);
}

}  // namespace
}  // namespace kiln::testing
