#include "modules/identity/identity_mail.hpp"

#include <algorithm>

#include "auth/token.hpp"
#include "core/log.hpp"
#include "modules/identity/invitation_repository.hpp"
#include "modules/identity/password_reset_repository.hpp"
#include "modules/identity/platform_mailer.hpp"
#include "modules/tenancy/user_directory.hpp"

namespace kiln::identity {

namespace {

constexpr std::string_view kSelectResetEmail = R"sql(
    SELECT u.email FROM password_resets r JOIN users u ON u.id = r.user_id
    WHERE r.id = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.is_active = $3)sql";

/// A tenant's name goes into a header: it must stay one line.
std::string OneLine(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return text;
}

std::string ApiUrl(const IdentitySettings& settings, std::string_view path) {
    return settings.public_url + "/" + settings.api_prefix + std::string(path);
}

void SendInvitation(const jobs::JobContext& job, const IdentitySettings& settings, const PlatformMailer& mailer) {
    const std::string id = job.payload.at("invitation_id");
    std::optional<Invitation> invitation;
    std::optional<std::string> link;
    std::string tenant_name;
    {
        auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job.tenant);
        invitation = InvitationRepository::Find(scope, id);
        if (!invitation || !invitation->IsPending(Now())) return;  // revoked or accepted meanwhile: nothing to send
        if (auto tenant = tenancy::UserDirectory::FindTenant(tx, job.tenant)) tenant_name = tenant->name;
        link = IssueInvitationLink(scope, id, settings);
        if (!link) return;
        tx.Commit();
    }
    const std::string token = link->substr(link->find("token=") + 6);
    mailer.Send({invitation->email, OneLine("Your invitation to " + tenant_name + " on Kiln"),
                 "You have been invited to join " + tenant_name + " on Kiln as " + invitation->role +
                     ".\n\nAccept the invitation here:\n" + *link + "\n\nWithout the console: POST " +
                     ApiUrl(settings, "/invitations/accept") + R"( with {"token": ")" + token +
                     R"("}, adding "password" and "name" to create your account; if you already have a Kiln )"
                     "account, sign in first and send only the token with your session.\n\nThe link works once "
                     "and expires at " +
                     FormatTimestamp(invitation->expires_at) +
                     ". If you did not expect this invitation, ignore this mail.\n"});
    auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    InvitationRepository::MarkSent(db::TenantScope(tx, job.tenant), id, Now());
    tx.Commit();
}

void SendPasswordReset(const jobs::JobContext& job, const IdentitySettings& settings, const PlatformMailer& mailer) {
    const std::string id = job.payload.at("reset_id");
    const std::string token = auth::GenerateToken(kResetTokenPrefix);
    std::string email;
    {
        auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const auto rows = tx.Exec(kSelectResetEmail, {id, Now(), true});
        if (rows.empty() || !PasswordResetRepository::SetTokenHash(tx, id, auth::HashToken(token), Now())) return;
        email = rows.front().Get<std::string>("email");
        tx.Commit();
    }
    mailer.Send({email, "Reset your Kiln password",
                 "Someone asked to reset the password of the Kiln account for this address.\n\nChoose a new "
                 "password here:\n" +
                     settings.ResetLink(token) + "\n\nWithout the console: POST " +
                     ApiUrl(settings, "/auth/password-reset/confirm") + R"( with {"token": ")" + token +
                     R"(", "password": "<new password>"}.)" + "\n\nThe link works once and expires in " +
                     std::to_string(settings.reset_ttl.count()) +
                     " minutes; using it signs out every session of the account. If you did not ask for this, "
                     "ignore this mail: your password stays as it is.\n"});
}

}  // namespace

std::optional<std::string> IssueInvitationLink(const db::TenantScope& scope, const std::string& invitation_id,
                                               const IdentitySettings& settings) {
    const std::string token = auth::GenerateToken(kInvitationTokenPrefix);
    if (!InvitationRepository::SetTokenHash(scope, invitation_id, auth::HashToken(token), Now())) return std::nullopt;
    return settings.InvitationLink(token);
}

void RegisterIdentityJobs(jobs::JobHandlerRegistry& registry, const IdentitySettings& settings) {
    auto mailer = std::make_shared<const PlatformMailer>(settings.smtp);
    registry.Register(std::string(kInvitationMailJob),
                      [settings, mailer](const jobs::JobContext& job) { SendInvitation(job, settings, *mailer); });
    registry.Register(std::string(kPasswordResetMailJob),
                      [settings, mailer](const jobs::JobContext& job) { SendPasswordReset(job, settings, *mailer); });
}

}  // namespace kiln::identity
