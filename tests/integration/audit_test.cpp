// The audit log as the API exposes it: one row per change, in the change's transaction,
// filterable, paginated, secrets redacted, and a verifiable hash chain.
#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class AuditLog : public ApiTest {
  protected:
    json Entries(const std::string& query) {
        const auto r = http_.Get(Url("/audit-logs" + query), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json()["data"];
    }
};

TEST_F(AuditLog, EveryChangeWritesOneRowWithItsContext) {
    const size_t before = Entries("?limit=200").size();
    const auto created = http_.Post(
        Url("/roles"), json{{"name", "auditor-x"}, {"permissions", json::array({"audit:read"})}},
        {{"Authorization", "Bearer " + a_owner_}, {"X-Request-Id", "audit-req-1"}, {"User-Agent", "audit-test/1.0"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string role_id = created.Json()["id"];
    ASSERT_EQ(http_.Put(Url("/roles/" + role_id), json{{"description", "reads the books"}}, As(a_owner_)).status, 200);
    ASSERT_EQ(http_.Delete(Url("/roles/" + role_id), As(a_owner_)).status, 204);
    // Reads and refused changes write nothing.
    http_.Get(Url("/roles"), As(a_owner_));
    EXPECT_EQ(http_.Post(Url("/roles"), json{{"name", 1}}, As(a_owner_)).status, 422);

    const json about_role = Entries("?entity_type=role&entity_id=" + role_id);
    ASSERT_EQ(about_role.size(), 3U);
    EXPECT_EQ(about_role[0]["action"], "roles.delete");
    EXPECT_EQ(about_role[1]["action"], "roles.update");
    EXPECT_EQ(about_role[2]["action"], "roles.create");
    const json& create = about_role[2];
    EXPECT_EQ(create["request_id"], "audit-req-1");
    EXPECT_EQ(create["user_agent"], "audit-test/1.0");
    EXPECT_EQ(create["client_ip"], "127.0.0.1");
    EXPECT_EQ(create["actor_type"], "user");
    EXPECT_EQ(create["changes"]["name"], "auditor-x");
    EXPECT_EQ(about_role[1]["changes"]["description"]["to"], "reads the books");
    EXPECT_EQ(Entries("?limit=200").size(), before + 3);
}

TEST_F(AuditLog, FiltersByActionActorAndTime) {
    const auto created =
        http_.Post(Url("/roles"), json{{"name", "filter-me"}, {"permissions", json::array()}}, As(a_owner_));
    ASSERT_EQ(created.status, 201);
    const std::string actor = http_.Get(Url("/auth/me"), As(a_owner_)).Json()["user"]["id"];
    for (const auto& e : Entries("?action=roles.create")) EXPECT_EQ(e["action"], "roles.create");
    EXPECT_FALSE(Entries("?actor_id=" + actor).empty());
    EXPECT_TRUE(Entries("?actor_id=00000000-0000-7000-8000-000000000000").empty());
    EXPECT_TRUE(Entries("?until=2001-01-01T00:00:00Z").empty());
    EXPECT_FALSE(Entries("?since=2001-01-01T00:00:00Z&action=roles.create").empty());
    EXPECT_TRUE(Entries("?since=2999-01-01T00:00:00Z").empty());
    EXPECT_EQ(http_.Get(Url("/audit-logs?since=yesterday"), As(a_owner_)).status, 422);
}

TEST_F(AuditLog, SecretsNeverReachTheLog) {
    // The invitee chooses a password when accepting (invitations.accept is audited).
    ASSERT_FALSE(AddMember(a_owner_, "", "secretive@demo.test", "viewer").empty());
    const auto token =
        http_.Post(Url("/tokens"), json{{"name", "logged"}}, As(a_owner_)).Json()["token"].get<std::string>();
    const std::string log = http_.Get(Url("/audit-logs?limit=200"), As(a_owner_)).body;
    EXPECT_EQ(log.find("super-secret-password-1"), std::string::npos);
    EXPECT_EQ(log.find(token), std::string::npos);
}

TEST_F(AuditLog, ChainVerifiesAndIsPerTenant) {
    http_.Post(Url("/roles"), json{{"name", "chain-a"}, {"permissions", json::array()}}, As(a_owner_));
    http_.Post(Url("/roles"), json{{"name", "chain-b"}, {"permissions", json::array()}}, As(b_owner_));
    const json a = http_.Get(Url("/audit-logs/verify"), As(a_owner_)).Json();
    EXPECT_TRUE(a["ok"].get<bool>()) << a.dump();
    EXPECT_GT(a["checked"].get<int>(), 0);
    const json b = http_.Get(Url("/audit-logs/verify"), As(b_owner_)).Json();
    EXPECT_TRUE(b["ok"].get<bool>()) << b.dump();
    const json entries = Entries("?limit=2");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0]["prev_hash"], entries[1]["hash"]);
    EXPECT_EQ(entries[0]["seq"].get<int>(), entries[1]["seq"].get<int>() + 1);
    std::string out;
    ASSERT_EQ(server_->Cli({"admin", "verify-audit", "--tenant", "demo"}, &out), 0) << out;
    EXPECT_NE(out.find("\"ok\":true"), std::string::npos);
}

TEST_F(AuditLog, ViewersCannotReadIt) {
    const std::string email = "viewer-audit-" + std::to_string(std::rand()) + "@demo.test";
    AddMember(a_owner_, "", email, "viewer");
    const std::string viewer = Login(email, "member-password-1");
    EXPECT_EQ(http_.Get(Url("/audit-logs"), As(viewer)).status, 403);
}

}  // namespace
}  // namespace kiln::testing
