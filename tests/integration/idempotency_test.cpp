// Idempotency-Key replays at rest (issue 12, item 5): a creating POST's stored response may carry a
// secret shown once (a new API token, a webhook signing secret). A database reader must find none
// of it in the idempotency table (the response is sealed), the replay must still answer the same,
// and a key whose row expired no longer replays and is purged.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api_fixture.hpp"
#include "stored_rows.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Where a database reader could find `secret`: the idempotency table's rows and, on SQLite, the
/// raw bytes of the database files (free pages and the WAL included). Empty when nowhere.
std::string WhereStored(const KilnProcess& server, const std::string& secret) {
    std::string found;
    if (StoredTableText(server, "idempotency_keys").find(secret) != std::string::npos) found += "idempotency_keys ";
    if (!server.uses_postgres()) {
        for (const auto& entry : std::filesystem::directory_iterator(server.data_dir())) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with("kiln.db") && ReadFile(entry.path()).find(secret) != std::string::npos)
                found += name + " ";
        }
    }
    return found;
}

/// How many idempotency rows hold `key`.
size_t RowsOfKey(const KilnProcess& server, const std::string& key) {
    return QueryStored(server, "SELECT key FROM idempotency_keys WHERE key = '" + key + "'").size();
}

/// Makes the row of `key` look expired, as 24 hours later would.
void Expire(const KilnProcess& server, const std::string& key) {
    const std::string past = server.uses_postgres() ? "'2000-01-01T00:00:00Z'" : "'2000-01-01T00:00:00.000000Z'";
    QueryStored(server, "UPDATE idempotency_keys SET expires_at = " + past + " WHERE key = '" + key + "'");
}

class Idempotency : public ::testing::Test {
  protected:
    Idempotency() { server_.Start(); }

    HttpResponse Post(const DemoOwner& owner, const std::string& path, const json& body, const std::string& key) {
        HeaderList headers = owner.auth;
        headers.emplace_back("Idempotency-Key", key);
        return http_.Post(owner.Url(path), body, headers);
    }

    KilnProcess server_{{"KILN_DEMO_PASSWORD", kDemoPassword}};
    HttpClient http_;
};

TEST_F(Idempotency, ReplayedSecretsAreSealedAtRestAndExpiredKeysArePurged) {
    const DemoOwner owner = SignInAsDemoOwner(server_, http_);
    ASSERT_FALSE(owner.auth.empty());

    // A new API token: the replay gives the same token, which lies nowhere in clear.
    const json token_body = {{"name", "replayed"}, {"permissions", {"products:read"}}};
    const auto created = Post(owner, "/tokens", token_body, "token-key-1");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string token = created.Json()["token"];
    ASSERT_TRUE(token.starts_with("kiln_pat_")) << token;
    const auto replayed = Post(owner, "/tokens", token_body, "token-key-1");
    ASSERT_EQ(replayed.status, 201) << replayed.body;
    EXPECT_EQ(replayed.Header("Idempotent-Replayed"), "true");
    EXPECT_EQ(replayed.Json()["token"], token);
    EXPECT_EQ(replayed.Json()["id"], created.Json()["id"]);
    ASSERT_EQ(RowsOfKey(server_, "token-key-1"), 1U);
    EXPECT_EQ(WhereStored(server_, token), "") << "the token lies in clear in the database";
    EXPECT_EQ(WhereStored(server_, token.substr(9)), "") << "the token's random part lies in clear";
    const auto body = QueryStored(server_, "SELECT response_body FROM idempotency_keys WHERE key = 'token-key-1'");
    ASSERT_EQ(body.size(), 1U);
    EXPECT_TRUE(body[0][0].starts_with("kv1:")) << "not sealed: " << body[0][0];

    // A webhook subscription's signing secret, likewise.
    const json hook_body = {{"target_url", "https://93.184.216.34/kiln-hook"}, {"events", {"invoice.*"}}};
    const auto hook = Post(owner, "/integrations/webhooks", hook_body, "hook-key-1");
    ASSERT_EQ(hook.status, 201) << hook.body;
    const std::string secret = hook.Json()["secret"];
    ASSERT_TRUE(secret.starts_with("whsec_")) << secret;
    const auto hook_again = Post(owner, "/integrations/webhooks", hook_body, "hook-key-1");
    ASSERT_EQ(hook_again.status, 201) << hook_again.body;
    EXPECT_EQ(hook_again.Json()["secret"], secret);
    EXPECT_EQ(WhereStored(server_, secret.substr(6)), "") << "the signing secret lies in clear in the database";

    // The same key with another body is still refused.
    EXPECT_EQ(Post(owner, "/tokens", json{{"name", "other"}}, "token-key-1").status, 422);

    // Expired, the key no longer replays: the request is done afresh and its new row replaces the old.
    Expire(server_, "token-key-1");
    const auto after_expiry = Post(owner, "/tokens", token_body, "token-key-1");
    ASSERT_EQ(after_expiry.status, 201) << after_expiry.body;
    EXPECT_EQ(after_expiry.Header("Idempotent-Replayed"), "");
    EXPECT_NE(after_expiry.Json()["token"], token);
    EXPECT_EQ(RowsOfKey(server_, "token-key-1"), 1U);
    const auto fresh_replay = Post(owner, "/tokens", token_body, "token-key-1");
    EXPECT_EQ(fresh_replay.Json()["token"], after_expiry.Json()["token"]);

    // Expired rows nobody asks for again are purged in the background (at start, then periodically).
    Expire(server_, "hook-key-1");
    ASSERT_EQ(server_.Stop(), 0) << server_.Output();
    server_.Start();
    EXPECT_TRUE(Eventually([&] { return RowsOfKey(server_, "hook-key-1") == 0; })) << server_.Output();
    EXPECT_EQ(RowsOfKey(server_, "token-key-1"), 1U);  // not expired: kept
}

// A replay opens only where it was sealed: copied to another key (or credential), the stored body
// does not open there, and the request is refused rather than done again.
TEST_F(Idempotency, ASealedReplayCopiedToAnotherKeyDoesNotOpen) {
    const DemoOwner owner = SignInAsDemoOwner(server_, http_);
    const json body = {{"name", "copied"}};
    ASSERT_EQ(Post(owner, "/tokens", body, "source-key").status, 201);
    ASSERT_EQ(Post(owner, "/tokens", body, "target-key").status, 201);
    QueryStored(server_,
                "UPDATE idempotency_keys SET response_body = (SELECT response_body FROM idempotency_keys WHERE key = "
                "'source-key') WHERE key = 'target-key'");
    const auto replay = Post(owner, "/tokens", body, "target-key");
    EXPECT_EQ(replay.status, 409) << replay.body;
    EXPECT_EQ(replay.body.find("kiln_pat_"), std::string::npos) << replay.body;
}

}  // namespace
}  // namespace kiln::testing
