#pragma once

#include <chrono>
#include <string>

#include "core/settings/registry.hpp"

namespace kiln::identity {

/// The platform's own mail sender, configured by the operator (never by a tenant): SMTP through
/// libcurl. Empty `url` = no mailer; invitation links are then printed by an operator with
/// `kiln admin invitation-link`, and password resets cannot be mailed.
struct SmtpSettings {
    std::string url;                // KILN_SMTP_URL: smtp://host:port (STARTTLS optional) or smtps://host:port
    std::string from;               // KILN_SMTP_FROM: the envelope and header sender
    std::string user;               // KILN_SMTP_USER (optional)
    std::string password;           // KILN_SMTP_PASSWORD (optional)
    bool require_starttls = false;  // KILN_SMTP_STARTTLS=1: refuse to send over an unencrypted smtp:// link
    std::chrono::seconds timeout{30};

    bool configured() const { return !url.empty(); }
};

/// Invitations and password resets (declared with DeclareSettings, read once at start-up).
struct IdentitySettings {
    std::chrono::hours invitation_ttl{24 * 7};  // KILN_INVITATION_TTL_HOURS
    std::chrono::minutes reset_ttl{60};         // KILN_PASSWORD_RESET_TTL_MINUTES
    /// KILN_PUBLIC_URL: where the console lives; links are <public_url>/accept-invitation?token=…
    /// and <public_url>/reset-password?token=….
    std::string public_url = "http://localhost:8080";
    std::string api_prefix = "api/v1";  // for the API hint in the mail text: the server's API_PREFIX
    SmtpSettings smtp;

    std::string InvitationLink(const std::string& token) const;
    std::string ResetLink(const std::string& token) const;
};

/// Declares KILN_SMTP_*, KILN_PUBLIC_URL and the link lifetimes, bound to `settings`, and the
/// check that a mailer has a sender. (api_prefix is the server's; app/ copies it.)
void DeclareSettings(settings::Registry& registry, IdentitySettings& settings);

}  // namespace kiln::identity
