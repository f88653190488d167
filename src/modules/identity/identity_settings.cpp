#include "modules/identity/identity_settings.hpp"

#include "core/error.hpp"
#include "core/settings/setting_kinds.hpp"

namespace kiln::identity {

namespace {

using settings::Bool;
using settings::Duration;
using settings::Text;
using settings::Url;

}  // namespace

void DeclareSettings(settings::Registry& r, IdentitySettings& s) {
    r.Add(Url("KILN_SMTP_URL", s.smtp.url, {"smtp", "smtps"},
              "the platform's own mailer for invitation and password-reset links: `smtp://host:port` or "
              "`smtps://host:port`. Unset: nothing is mailed; an operator prints invitation links with "
              "`kiln admin invitation-link`"));
    r.Add(Text("KILN_SMTP_FROM", s.smtp.from, "the mailer's sender address (required with `KILN_SMTP_URL`)"));
    r.Add(Text("KILN_SMTP_USER", s.smtp.user, "the relay's user name"));
    r.Add(Text("KILN_SMTP_PASSWORD", s.smtp.password, "the relay's password"));
    r.Add(Bool("KILN_SMTP_STARTTLS", s.smtp.require_starttls,
               "`1` refuses to send unless the `smtp://` connection is upgraded with STARTTLS"));
    r.Add(settings::Custom("KILN_PUBLIC_URL", s.public_url, "URL (http, https)",
                           "base of the links in those mails (`/accept-invitation?token=…`, "
                           "`/reset-password?token=…`)",
                           [&s](std::string_view text) {
                               std::string url = settings::ParseUrl(text, {"http", "https"});
                               while (url.back() == '/') url.pop_back();
                               s.public_url = std::move(url);
                           }));
    r.Add(Duration("KILN_INVITATION_TTL_HOURS", s.invitation_ttl, settings::kAtLeastOne,
                   "how long an invitation link works (once)"));
    r.Add(Duration("KILN_PASSWORD_RESET_TTL_MINUTES", s.reset_ttl, settings::kAtLeastOne,
                   "how long a password-reset link works (once)"));
    r.AddCheck([&s] {
        if (s.smtp.configured() && s.smtp.from.empty())
            throw InvalidSetting("KILN_SMTP_FROM", "must be set when KILN_SMTP_URL is");
    });
}

std::string IdentitySettings::InvitationLink(const std::string& token) const {
    return public_url + "/accept-invitation?token=" + token;
}

std::string IdentitySettings::ResetLink(const std::string& token) const {
    return public_url + "/reset-password?token=" + token;
}

}  // namespace kiln::identity
