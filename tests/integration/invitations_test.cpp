// Invitations, password change and reset, and who may act on whom (issue 12 items 2 and 9), against
// the real binary with a fake SMTP relay as the platform's mailer. Links and tokens are taken from
// the mails, the only place they exist.
#include <openssl/sha.h>

#include <cstdio>
#include <set>

#include "api_fixture.hpp"
#include "fake_providers/fake_smtp.hpp"
#include "stored_rows.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Identity : public ApiTest {
  public:
    static void SetUpTestSuite() {
        smtp_ = std::make_unique<FakeSmtp>();
        StartPlatform({{"KILN_DEMO_PASSWORD", kDemoPassword},
                       {"KILN_SMTP_URL", smtp_->url()},
                       {"KILN_SMTP_FROM", "kiln@platform.test"},
                       {"KILN_PUBLIC_URL", "https://console.kiln.test"},
                       {"KILN_JOB_BACKOFF_BASE_MS", "200"}});
    }
    static void TearDownTestSuite() {
        ApiTest::TearDownTestSuite();
        smtp_.reset();
    }

  protected:
    /// A sign-in attempt, whatever it answers.
    static HttpResponse LoginAttempt(const std::string& email, const std::string& password) {
        return HttpClient().Post(Url("/auth/login"), json{{"email", email}, {"password", password}});
    }
    /// The token of a sign-in that must succeed.
    static std::string SignIn(const std::string& email, const std::string& password) { return Login(email, password); }
    static std::string Unique(const std::string& local, const std::string& domain) {
        static int counter = 0;
        return local + "-" + std::to_string(++counter) + "-" + std::to_string(std::rand()) + "@" + domain;
    }
    /// Invites `email` as `inviter` and returns the token from the mail it gets (the n-th mail to it).
    std::string InviteAndReadMail(const std::string& inviter, const std::string& email, const std::string& role,
                                  size_t nth_mail = 1) {
        const auto invited = http_.Post(Url("/invitations"), json{{"email", email}, {"role", role}}, As(inviter));
        EXPECT_EQ(invited.status, 201) << invited.body;
        const auto mail = smtp_->WaitForMessageTo(email, nth_mail);
        EXPECT_TRUE(mail.has_value()) << "no invitation mail to " << email << "\n" << server_->Output();
        return mail ? TokenFromMail(mail->data) : "";
    }
    /// A new account in the inviter's tenant, through the mail.
    std::string NewMember(const std::string& inviter, const std::string& email, const std::string& role,
                          const std::string& password) {
        const std::string token = InviteAndReadMail(inviter, email, role);
        const auto accepted =
            http_.Post(Url("/invitations/accept"), json{{"token", token}, {"password", password}, {"name", "N"}});
        EXPECT_EQ(accepted.status, 200) << accepted.body;
        return accepted.Json()["user"].value("id", "");
    }

    static std::unique_ptr<FakeSmtp> smtp_;
};

std::unique_ptr<FakeSmtp> Identity::smtp_;

std::string Sha256Hex(const std::string& text) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    std::string hex;
    char byte[3];
    for (const unsigned char b : digest) {
        std::snprintf(byte, sizeof byte, "%02x", b);
        hex += byte;
    }
    return hex;
}

/// Every value of every row of `table`, joined: what a database reader sees.
std::string TableText(const KilnProcess& server, const std::string& table) {
    std::string text;
    for (const auto& row : QueryStored(server, "SELECT * FROM " + table))
        for (const auto& value : row) text += value + "\n";
    return text;
}

std::set<std::string> Keys(const json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.insert(key);
    return keys;
}

// The attack of issue 12 item 2: A's admin adds cfo@victim.test with a password of A's choosing,
// B's admin adds the same address, A signs in with the known password and reads B.
TEST_F(Identity, AnAdminCannotTakeOverAnAccountOtherTenantsShare) {
    const std::string victim = Unique("cfo", "victim.test");
    const std::string attacker_password = "attacker-chosen-1";
    // The old way is gone: no route lets an admin create an account or set a password.
    const auto planted = http_.Post(
        Url("/members"), json{{"email", victim}, {"role", "viewer"}, {"name", "CFO"}, {"password", attacker_password}},
        As(a_owner_));
    EXPECT_EQ(planted.status, 405) << planted.body;

    const auto a_invite = http_.Post(Url("/invitations"), json{{"email", victim}, {"role", "viewer"}}, As(a_owner_));
    ASSERT_EQ(a_invite.status, 201) << a_invite.body;
    const auto a_mail = smtp_->WaitForMessageTo(victim);
    ASSERT_TRUE(a_mail.has_value()) << server_->Output();
    const std::string a_token = TokenFromMail(a_mail->data);
    ASSERT_EQ(a_token.rfind("kiln_inv_", 0), 0U) << a_mail->data;
    EXPECT_EQ(a_mail->recipients, std::vector<std::string>{victim}) << "the link goes to the invited address only";
    EXPECT_NE(a_mail->data.find("https://console.kiln.test/accept-invitation?token=" + a_token), std::string::npos);
    EXPECT_EQ(a_invite.body.find(a_token), std::string::npos);

    // The victim accepts A's invitation and chooses their own password.
    const std::string victim_password = "victims-own-password-1";
    const auto joined_a = http_.Post(Url("/invitations/accept"),
                                     json{{"token", a_token}, {"password", victim_password}, {"name", "CFO"}});
    ASSERT_EQ(joined_a.status, 200) << joined_a.body;
    EXPECT_EQ(joined_a.Json()["tenant"]["slug"], "demo");

    // B invites the same address; the account exists now, so accepting needs the victim's session.
    const auto b_invite =
        http_.Post(Url("/invitations"), json{{"email", victim}, {"role", "accountant"}}, As(b_owner_));
    ASSERT_EQ(b_invite.status, 201) << b_invite.body;
    EXPECT_EQ(Keys(b_invite.Json()), Keys(a_invite.Json())) << "the answer does not depend on the account existing";
    EXPECT_EQ(b_invite.Json()["status"], a_invite.Json()["status"]);
    const auto b_mail = smtp_->WaitForMessageTo(victim, 2);
    ASSERT_TRUE(b_mail.has_value());
    const std::string b_token = TokenFromMail(b_mail->data);

    // Whoever holds B's link cannot set a password on the existing account, nor accept as someone else.
    const auto with_password = http_.Post(Url("/invitations/accept"),
                                          json{{"token", b_token}, {"password", attacker_password}, {"name", "x"}});
    EXPECT_EQ(with_password.status, 422) << with_password.body;
    EXPECT_EQ(http_.Post(Url("/invitations/accept"), json{{"token", b_token}}).status, 401);
    EXPECT_EQ(http_.Post(Url("/invitations/accept"), json{{"token", b_token}}, As(a_owner_)).status, 403);

    const std::string victim_session = SignIn(victim, victim_password);
    const auto joined_b = http_.Post(Url("/invitations/accept"), json{{"token", b_token}}, As(victim_session));
    ASSERT_EQ(joined_b.status, 200) << joined_b.body;

    // A knows no password of the victim's: neither the one A would have planted nor any other.
    EXPECT_EQ(LoginAttempt(victim, attacker_password).status, 401);
    EXPECT_EQ(LoginAttempt(victim, kMemberPassword).status, 401);
    const std::string again = SignIn(victim, victim_password);
    EXPECT_EQ(http_.Get(Url("/tenant"), As(again, "beta")).Json()["slug"], "beta");
    EXPECT_EQ(http_.Get(Url("/tenant"), As(a_owner_, "beta")).status, 404);
}

TEST_F(Identity, InvitationAnswersDoNotRevealAccountsElsewhere) {
    // owner@beta.test has an account (in B); the other address has none. A sees the same answers.
    const auto known =
        http_.Post(Url("/invitations"), json{{"email", "owner@beta.test"}, {"role", "viewer"}}, As(a_owner_));
    const auto unknown = http_.Post(
        Url("/invitations"), json{{"email", Unique("nobody", "nowhere.test")}, {"role", "viewer"}}, As(a_owner_));
    ASSERT_EQ(known.status, 201) << known.body;
    ASSERT_EQ(unknown.status, 201) << unknown.body;
    EXPECT_EQ(Keys(known.Json()), Keys(unknown.Json()));
    for (const auto& key : {"status", "role", "sent_at", "accepted_at", "revoked_at"})
        EXPECT_EQ(known.Json()[key], unknown.Json()[key]) << key;
    const auto listed = http_.Get(Url("/invitations"), As(a_owner_)).Json();
    for (const auto& item : listed["data"]) EXPECT_EQ(Keys(item), Keys(known.Json()));
    // A second invitation while one is pending: the same conflict for both addresses.
    const auto known_again =
        http_.Post(Url("/invitations"), json{{"email", "owner@beta.test"}, {"role", "viewer"}}, As(a_owner_));
    const auto unknown_again =
        http_.Post(Url("/invitations"), json{{"email", unknown.Json()["email"]}, {"role", "viewer"}}, As(a_owner_));
    EXPECT_EQ(known_again.status, 409);
    EXPECT_EQ(unknown_again.status, 409);
    EXPECT_EQ(known_again.Json()["detail"], unknown_again.Json()["detail"]);
}

TEST_F(Identity, AnInvitationTokenWorksOnceAndNeverAppearsInAnswers) {
    const std::string email = Unique("once", "example.test");
    const std::string token = InviteAndReadMail(a_owner_, email, "viewer");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(http_.Get(Url("/invitations"), As(a_owner_)).body.find(token), std::string::npos);
    // At rest only the SHA-256 exists: not in the invitation, not in the mail job's payload.
    const auto stored = QueryStored(*server_, "SELECT token_hash FROM invitations WHERE email = '" + email + "'");
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0][0], Sha256Hex(token));
    EXPECT_EQ(TableText(*server_, "invitations").find(token), std::string::npos);
    EXPECT_EQ(TableText(*server_, "jobs").find(token), std::string::npos);
    const json accept = {{"token", token}, {"password", "first-password-1"}};
    ASSERT_EQ(http_.Post(Url("/invitations/accept"), accept).status, 200);
    const auto reused = http_.Post(Url("/invitations/accept"), accept);
    EXPECT_EQ(reused.status, 422) << reused.body;
    EXPECT_EQ(http_.Post(Url("/invitations/accept"), json{{"token", "kiln_inv_made-up"}, {"password", "x123456789"}})
                  .Json()["errors"],
              reused.Json()["errors"])
        << "a used token and a made-up one look the same";
    const auto listed = http_.Get(Url("/invitations"), As(a_owner_)).Json()["data"];
    bool found = false;
    for (const auto& item : listed)
        if (item["email"] == email) found = item["status"] == "accepted";
    EXPECT_TRUE(found);
}

TEST_F(Identity, RevokedOrReissuedLinksStopWorking) {
    const std::string email = Unique("revoked", "example.test");
    const auto invited = http_.Post(Url("/invitations"), json{{"email", email}, {"role", "viewer"}}, As(a_owner_));
    ASSERT_EQ(invited.status, 201);
    const auto mail = smtp_->WaitForMessageTo(email);
    ASSERT_TRUE(mail.has_value());
    const std::string mailed = TokenFromMail(mail->data);
    // The operator's CLI issues a fresh link: the mailed one stops working.
    std::string out;
    ASSERT_EQ(server_->Cli({"admin", "invitation-link", "--email", email, "--tenant", "demo"}, &out), 0) << out;
    const std::string printed = TokenFromMail(out);
    ASSERT_FALSE(printed.empty()) << out;
    EXPECT_NE(printed, mailed);
    EXPECT_EQ(http_.Post(Url("/invitations/accept"), json{{"token", mailed}, {"password", "some-password-1"}}).status,
              422);
    ASSERT_EQ(http_.Delete(Url("/invitations/" + invited.Json()["id"].get<std::string>()), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Post(Url("/invitations/accept"), json{{"token", printed}, {"password", "some-password-1"}}).status,
              422);
    EXPECT_EQ(LoginAttempt(email, "some-password-1").status, 401);
}

TEST_F(Identity, AnExpiredInvitationCannotBeAccepted) {
    const std::string email = Unique("late", "example.test");
    const std::string token = InviteAndReadMail(a_owner_, email, "viewer");
    ASSERT_FALSE(token.empty());
    // Seven days pass (the default lifetime): the row's expiry is moved to its creation time.
    QueryStored(*server_, "UPDATE invitations SET expires_at = created_at WHERE email = '" + email + "'");
    const auto late = http_.Post(Url("/invitations/accept"), json{{"token", token}, {"password", "too-late-pass-1"}});
    EXPECT_EQ(late.status, 422) << late.body;
    EXPECT_EQ(LoginAttempt(email, "too-late-pass-1").status, 401);
    const json invitations = http_.Get(Url("/invitations"), As(a_owner_)).Json();
    for (const auto& item : invitations["data"])
        if (item["email"] == email) {
            EXPECT_EQ(item["status"], "expired");
        }
    std::string out;
    EXPECT_NE(server_->Cli({"admin", "invitation-link", "--email", email, "--tenant", "demo"}, &out), 0)
        << "no fresh link for an expired invitation: " << out;
}

TEST_F(Identity, InvitingNeedsEveryPermissionOfTheRole) {
    const std::string email = Unique("inviter", "demo.test");
    ASSERT_EQ(http_
                  .Post(Url("/roles"),
                        json{{"name", "recruiter-" + std::to_string(std::rand())},
                             {"permissions", json::array({"members:create", "members:read"})}},
                        As(a_owner_))
                  .status,
              201);
    const auto roles = http_.Get(Url("/roles"), As(a_owner_)).Json()["data"];
    std::string recruiter;
    for (const auto& r : roles)
        if (r["name"].get<std::string>().rfind("recruiter-", 0) == 0) recruiter = r["name"];
    NewMember(a_owner_, email, recruiter, "recruiter-password-1");
    const std::string session = SignIn(email, "recruiter-password-1");
    EXPECT_EQ(
        http_.Post(Url("/invitations"), json{{"email", Unique("x", "x.test")}, {"role", "admin"}}, As(session)).status,
        403);
    EXPECT_EQ(http_.Post(Url("/invitations"), json{{"email", Unique("x", "x.test")}, {"role", recruiter}}, As(session))
                  .status,
              201);
}

// Issue 12 item 9: members:update/members:delete do not reach members above the caller.
TEST_F(Identity, ACustomRoleCannotDemoteOrRemoveAnAdmin) {
    const std::string role = "member-manager-" + std::to_string(std::rand());
    ASSERT_EQ(http_
                  .Post(Url("/roles"),
                        json{{"name", role},
                             {"permissions", json::array({"members:update", "members:read", "members:delete"})}},
                        As(a_owner_))
                  .status,
              201);
    const std::string manager_email = Unique("manager", "demo.test");
    NewMember(a_owner_, manager_email, role, "manager-password-1");
    const std::string admin_id = NewMember(a_owner_, Unique("admin", "demo.test"), "admin", "admin-password-12");
    const std::string viewer_id = NewMember(a_owner_, Unique("viewer", "demo.test"), "viewer", "viewer-password-1");
    const std::string manager = SignIn(manager_email, "manager-password-1");

    const auto demote = http_.Put(Url("/members/" + admin_id), json{{"role", "viewer"}}, As(manager));
    EXPECT_EQ(demote.status, 403) << demote.body;
    const auto remove = http_.Delete(Url("/members/" + admin_id), As(manager));
    EXPECT_EQ(remove.status, 403) << remove.body;
    EXPECT_EQ(http_.Get(Url("/members/" + admin_id), As(a_owner_)).Json()["role"], "admin");
    // Members whose role is within the caller's permissions stay manageable.
    const auto to_manager = http_.Put(Url("/members/" + viewer_id), json{{"role", role}}, As(manager));
    EXPECT_EQ(to_manager.status, 403) << "viewer holds permissions the manager lacks: " << to_manager.body;
    const auto self_peer = NewMember(a_owner_, Unique("peer", "demo.test"), role, "peer-password-12");
    EXPECT_EQ(http_.Delete(Url("/members/" + self_peer), As(manager)).status, 204);
}

// The same rule for roles: roles:update cannot strip a role held by members above the caller.
TEST_F(Identity, ARoleManagerCannotStripARoleAboveThem) {
    const std::string suffix = std::to_string(std::rand());
    const auto finance = http_.Post(
        Url("/roles"),
        json{{"name", "finance-lead-" + suffix}, {"permissions", json::array({"invoices:read", "payments:create"})}},
        As(a_owner_));
    ASSERT_EQ(finance.status, 201) << finance.body;
    const std::string finance_id = finance.Json()["id"];
    const std::string manager_role = "role-manager-" + suffix;
    ASSERT_EQ(http_
                  .Post(Url("/roles"),
                        json{{"name", manager_role},
                             {"permissions", json::array({"roles:read", "roles:update", "roles:delete"})}},
                        As(a_owner_))
                  .status,
              201);
    const std::string email = Unique("role-manager", "demo.test");
    NewMember(a_owner_, email, manager_role, "role-manager-pass-1");
    const std::string manager = SignIn(email, "role-manager-pass-1");
    const auto strip = http_.Put(Url("/roles/" + finance_id), json{{"permissions", json::array()}}, As(manager));
    EXPECT_EQ(strip.status, 403) << strip.body;
    EXPECT_EQ(http_.Delete(Url("/roles/" + finance_id), As(manager)).status, 403);
    EXPECT_EQ(http_.Get(Url("/roles/" + finance_id), As(a_owner_)).Json()["permissions"].size(), 2U);
}

TEST_F(Identity, PasswordResetAnswersAlikeAndWorksOnce) {
    const std::string email = Unique("forgetful", "demo.test");
    NewMember(a_owner_, email, "viewer", "forgotten-password-1");
    const std::string old_session = SignIn(email, "forgotten-password-1");
    const auto known = http_.Post(Url("/auth/password-reset"), json{{"email", email}});
    const auto unknown = http_.Post(Url("/auth/password-reset"), json{{"email", Unique("ghost", "nowhere.test")}});
    EXPECT_EQ(known.status, 202);
    EXPECT_EQ(unknown.status, 202);
    EXPECT_EQ(known.body, unknown.body);
    const auto mail = smtp_->WaitForMessageTo(email, 2);  // the first was the invitation
    ASSERT_TRUE(mail.has_value()) << server_->Output();
    const std::string token = TokenFromMail(mail->data);
    ASSERT_EQ(token.rfind("kiln_rst_", 0), 0U) << mail->data;
    EXPECT_EQ(TableText(*server_, "password_resets").find(token), std::string::npos);
    EXPECT_NE(TableText(*server_, "password_resets").find(Sha256Hex(token)), std::string::npos);

    EXPECT_EQ(
        http_.Post(Url("/auth/password-reset/confirm"), json{{"token", "kiln_rst_nope"}, {"password", "x234567890"}})
            .status,
        422);
    ASSERT_EQ(http_.Post(Url("/auth/password-reset/confirm"), json{{"token", token}, {"password", "remembered-pass-1"}})
                  .status,
              204);
    EXPECT_EQ(http_.Get(Url("/auth/me"), As(old_session)).status, 401) << "a reset signs out every session";
    EXPECT_EQ(LoginAttempt(email, "forgotten-password-1").status, 401);
    EXPECT_EQ(LoginAttempt(email, "remembered-pass-1").status, 200);
    EXPECT_EQ(
        http_.Post(Url("/auth/password-reset/confirm"), json{{"token", token}, {"password", "another-pass-12"}}).status,
        422)
        << "the token works once";
}

TEST_F(Identity, ChangingThePasswordNeedsTheCurrentOneAndSignsOutOtherSessions) {
    const std::string email = Unique("changer", "demo.test");
    NewMember(a_owner_, email, "viewer", "initial-password-1");
    const std::string here = SignIn(email, "initial-password-1");
    const std::string elsewhere = SignIn(email, "initial-password-1");
    const auto wrong =
        http_.Post(Url("/auth/password"),
                   json{{"current_password", "not-my-password"}, {"new_password", "changed-password-1"}}, As(here));
    EXPECT_EQ(wrong.status, 422) << wrong.body;
    EXPECT_EQ(http_
                  .Post(Url("/auth/password"),
                        json{{"current_password", "initial-password-1"}, {"new_password", "changed-password-1"}})
                  .status,
              401);
    const auto token = http_.Post(Url("/tokens"), json{{"name", "t"}}, As(here)).Json()["token"].get<std::string>();
    EXPECT_EQ(
        http_
            .Post(Url("/auth/password"),
                  json{{"current_password", "initial-password-1"}, {"new_password", "changed-password-1"}}, As(token))
            .status,
        403);
    ASSERT_EQ(
        http_
            .Post(Url("/auth/password"),
                  json{{"current_password", "initial-password-1"}, {"new_password", "changed-password-1"}}, As(here))
            .status,
        204);
    EXPECT_EQ(http_.Get(Url("/auth/me"), As(here)).status, 200);
    EXPECT_EQ(http_.Get(Url("/auth/me"), As(elsewhere)).status, 401);
    EXPECT_EQ(LoginAttempt(email, "initial-password-1").status, 401);
    EXPECT_EQ(LoginAttempt(email, "changed-password-1").status, 200);
}

}  // namespace
}  // namespace kiln::testing
