// The audit log as the API exposes it: one row per change, in the change's transaction,
// filterable, paginated, secrets redacted, and a verifiable hash chain.
#include <openssl/sha.h>

#include <cstdio>

#include "api_fixture.hpp"
#include "http_receiver.hpp"
#include "stored_rows.hpp"
#include "test_helpers.hpp"

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
    EXPECT_NE(log.find("invitations.accept"), std::string::npos);
    EXPECT_EQ(log.find(kMemberPassword), std::string::npos);
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

// The chain as a database writer attacks it (issue 12, item 14): rows are changed in the
// database directly and verification is asked through the API.
class AuditChain : public ApiTest {
  protected:
    static constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// A tenant of its own (the demo owner, a platform administrator, becomes its owner) with
    /// `changes` audited role creations.
    std::string TenantWithChanges(int changes) {
        static int counter = 0;
        const std::string slug = "audit-chain-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        const auto created = http_.Post(Url("/admin/tenants"), json{{"name", slug}, {"slug", slug}}, As(a_owner_));
        EXPECT_EQ(created.status, 201) << created.body;
        const std::string tenant = created.Json().value("id", "");
        for (int i = 0; i < changes; ++i) Change(tenant);
        return tenant;
    }
    void Change(const std::string& tenant) {
        static int counter = 0;
        const auto role =
            http_.Post(Url("/roles"), json{{"name", "r" + std::to_string(++counter)}, {"permissions", json::array()}},
                       As(a_owner_, tenant));
        EXPECT_EQ(role.status, 201) << role.body;
    }
    /// Oldest first.
    json Rows(const std::string& tenant) {
        json rows = http_.Get(Url("/audit-logs?limit=200"), As(a_owner_, tenant)).Json()["data"];
        std::reverse(rows.begin(), rows.end());
        return rows;
    }
    json Verify(const std::string& tenant, bool full) {
        const auto r =
            http_.Get(Url(std::string("/audit-logs/verify") + (full ? "?full=true" : "")), As(a_owner_, tenant));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    void Sql(const std::string& sql) { QueryStored(*server_, sql); }

    /// What an attacker without the master key can compute: the version 1 (plain SHA-256) hash of
    /// a row as the API shows it, linked to `prev`.
    static std::string PlainHash(const std::string& tenant, const json& row, const std::string& prev) {
        const auto text = [&](const char* field) {
            return row[field].is_null() ? std::string() : row[field].get<std::string>();
        };
        const json fields =
            json::array({row["actor_type"], text("actor_id"), row["action"], row["entity_type"], text("entity_id"),
                         row["changes"], text("request_id"), text("client_ip"), text("user_agent"), row["created_at"]});
        const std::string content = json::array({tenant, row["seq"], fields, prev}).dump();
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest);
        std::string hex;
        for (const unsigned char byte : digest) {
            char pair[3];
            std::snprintf(pair, sizeof pair, "%02x", byte);
            hex += pair;
        }
        return hex;
    }
};

// Today's attack: change the newest row, recompute its SHA-256 and move the head to it. The row's
// HMAC does not hold, and claiming the old, unkeyed form for it does not help either.
TEST_F(AuditChain, ADatabaseWriterWhoRecomputesPlainSha256IsCaught) {
    const std::string tenant = TenantWithChanges(3);
    ASSERT_TRUE(Verify(tenant, true)["ok"].get<bool>());
    json rows = Rows(tenant);
    json forged = rows.back();
    EXPECT_EQ(forged["hash_version"], 2);
    forged["action"] = "roles.read";
    const std::string hash = PlainHash(tenant, forged, forged["prev_hash"]);
    const std::string seq = std::to_string(forged["seq"].get<int>());
    Sql("UPDATE audit_logs SET action = 'roles.read', hash = '" + hash + "' WHERE tenant_id = '" + tenant +
        "' AND seq = " + seq);
    Sql("UPDATE audit_chain_heads SET hash = '" + hash + "' WHERE tenant_id = '" + tenant + "'");
    json result = Verify(tenant, true);
    EXPECT_FALSE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["first_broken_seq"], forged["seq"]);

    Sql("UPDATE audit_logs SET hash_version = 1, key_id = NULL WHERE tenant_id = '" + tenant + "' AND seq = " + seq);
    result = Verify(tenant, true);
    EXPECT_FALSE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["first_broken_seq"], forged["seq"]);
    EXPECT_NE(result["reason"].get<std::string>().find("HMAC"), std::string::npos) << result.dump();
}

// Rows written before migration 0016 are plain SHA-256 (simulated here by rewriting a tenant's
// chain as that migration found it): they still verify, and new rows continue the chain keyed.
TEST_F(AuditChain, RowsWrittenBeforeTheSwitchStillVerifyAndTheChainContinues) {
    const std::string tenant = TenantWithChanges(2);
    const json rows = Rows(tenant);
    std::string prev = kGenesis;
    for (const auto& row : rows) {
        const std::string hash = PlainHash(tenant, row, prev);
        Sql("UPDATE audit_logs SET hash_version = 1, key_id = NULL, prev_hash = '" + prev + "', hash = '" + hash +
            "' WHERE tenant_id = '" + tenant + "' AND seq = " + std::to_string(row["seq"].get<int>()));
        prev = hash;
    }
    const std::string last = std::to_string(rows.back()["seq"].get<int>());
    Sql("UPDATE audit_chain_heads SET hash = '" + prev + "', keyed_from_seq = " + last +
        " + 1, head_mac = NULL, head_key_id = NULL WHERE tenant_id = '" + tenant + "'");
    Sql("DELETE FROM audit_verifications WHERE tenant_id = '" + tenant + "'");
    json result = Verify(tenant, true);
    ASSERT_TRUE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["checked"].get<size_t>(), rows.size());

    Change(tenant);
    const json after = Rows(tenant);
    ASSERT_GT(after.size(), rows.size() + 1);  // the verification, then the change
    EXPECT_EQ(after[rows.size()]["prev_hash"], prev);
    for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i]["hash_version"], i < rows.size() ? 1 : 2) << i;
    result = Verify(tenant, true);
    EXPECT_TRUE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["checked"].get<size_t>(), after.size());
}

// Verification continues from the last verified row; tampering after it is found, tampering
// before it by a full walk, and a checkpoint moved by hand is not trusted.
TEST_F(AuditChain, IncrementalVerifyContinuesFromTheCheckpointAndCatchesLaterTampering) {
    const std::string tenant = TenantWithChanges(3);
    json first = Verify(tenant, false);
    ASSERT_TRUE(first["ok"].get<bool>()) << first.dump();
    EXPECT_EQ(first["from_seq"], 0);
    const int verified = first["checked"].get<int>();
    json second = Verify(tenant, false);
    ASSERT_TRUE(second["ok"].get<bool>()) << second.dump();
    EXPECT_EQ(second["from_seq"], verified);
    EXPECT_EQ(second["checked"], 1);  // the first verification's own audit row

    Change(tenant);
    const json rows = Rows(tenant);
    const std::string tampered = std::to_string(rows.back()["seq"].get<int>());
    Sql("UPDATE audit_logs SET action = 'roles.read' WHERE tenant_id = '" + tenant + "' AND seq = " + tampered);
    json result = Verify(tenant, false);
    EXPECT_FALSE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["first_broken_seq"], rows.back()["seq"]);
    EXPECT_GT(result["from_seq"].get<int>(), 0);
    Sql("UPDATE audit_logs SET action = 'roles.create' WHERE tenant_id = '" + tenant + "' AND seq = " + tampered);
    ASSERT_TRUE(Verify(tenant, false)["ok"].get<bool>());

    // Before the checkpoint: a full walk finds it.
    Sql("UPDATE audit_logs SET action = 'roles.read' WHERE tenant_id = '" + tenant + "' AND seq = 2");
    result = Verify(tenant, true);
    EXPECT_FALSE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["first_broken_seq"], 2);
    // A checkpoint moved past the tampered row without the key is ignored: the walk starts over.
    Sql("UPDATE audit_verifications SET seq = seq + 1 WHERE tenant_id = '" + tenant + "'");
    result = Verify(tenant, false);
    EXPECT_FALSE(result["ok"].get<bool>()) << result.dump();
    EXPECT_EQ(result["from_seq"], 0);
    EXPECT_EQ(result["first_broken_seq"], 2);
}

// The audit keys derive from the master key: `kiln admin rotate-master-key` verifies every chain
// and re-signs it under the new key, and re-seals workflow action secrets, so after the rotation
// the chain verifies and the rule still sends its real header.
TEST(AuditChainProcess, RotatingTheMasterKeyKeepsTheChainVerifiableAndWorkflowSecretsWorking) {
    using namespace std::chrono_literals;
    HttpReceiver target;
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"}});
    server.Start();
    HttpClient http;
    DemoOwner owner = SignInAsDemoOwner(server, http);
    const std::string secret = "rotation-header-secret-" + std::to_string(::getpid());
    ASSERT_EQ(http.Post(owner.Url("/workflows"),
                        json{{"name", "Survives rotation"},
                             {"trigger_event", "product.created"},
                             {"actions",
                              {{{"type", "http_request"},
                                {"params", {{"url", target.Url("/in")}, {"headers", {{"X-API-Key", secret}}}}}}}}},
                        owner.auth)
                  .status,
              201);
    ASSERT_TRUE(http.Get(owner.Url("/audit-logs/verify"), owner.auth).Json()["ok"].get<bool>());
    ASSERT_EQ(server.Stop(), 0);

    std::string out;
    ASSERT_EQ(server.Cli({"admin", "rotate-master-key"}, &out), 0) << out;
    EXPECT_NE(out.find("re-signed"), std::string::npos) << out;
    server.Start();
    owner = SignInAsDemoOwner(server, http);
    const json full = http.Get(owner.Url("/audit-logs/verify?full=true"), owner.auth).Json();
    EXPECT_TRUE(full["ok"].get<bool>()) << full.dump();
    EXPECT_GE(full["checked"].get<int>(), 2);  // the rule's creation and the first verification
    const json incremental = http.Get(owner.Url("/audit-logs/verify"), owner.auth).Json();
    EXPECT_TRUE(incremental["ok"].get<bool>()) << incremental.dump();
    ASSERT_EQ(server.Cli({"admin", "verify-audit", "--tenant", "demo"}, &out), 0) << out;

    ASSERT_EQ(
        http.Post(owner.Url("/products"),
                  json{{"sku", "rotated-1"}, {"name", "Rotated"}, {"unit_price", 1}, {"currency", "EUR"}}, owner.auth)
            .status,
        201);
    ASSERT_TRUE(target.WaitFor(1, 20s)) << server.Output();
    EXPECT_EQ(target.requests().front().Header("X-API-Key"), secret);
}

}  // namespace
}  // namespace kiln::testing
