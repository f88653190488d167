#include "modules/identity/identity_settings.hpp"

#include <cstdlib>
#include <stdexcept>

namespace kiln::identity {

namespace {

std::string Env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

int64_t PositiveNumber(const char* name, int64_t fallback) {
    const std::string text = Env(name);
    if (text.empty()) return fallback;
    size_t used = 0;
    int64_t value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value <= 0) throw std::runtime_error(std::string(name) + " must be a positive number");
    return value;
}

}  // namespace

IdentitySettings IdentitySettings::FromEnvironment() {
    IdentitySettings settings;
    settings.invitation_ttl = std::chrono::hours(PositiveNumber("KILN_INVITATION_TTL_HOURS", int64_t{24} * 7));
    settings.reset_ttl = std::chrono::minutes(PositiveNumber("KILN_PASSWORD_RESET_TTL_MINUTES", 60));
    if (auto url = Env("KILN_PUBLIC_URL"); !url.empty()) {
        while (!url.empty() && url.back() == '/') url.pop_back();
        settings.public_url = url;
    }
    if (auto prefix = Env("API_PREFIX"); !prefix.empty()) settings.api_prefix = prefix;
    settings.smtp.url = Env("KILN_SMTP_URL");
    settings.smtp.from = Env("KILN_SMTP_FROM");
    settings.smtp.user = Env("KILN_SMTP_USER");
    settings.smtp.password = Env("KILN_SMTP_PASSWORD");
    settings.smtp.require_starttls = Env("KILN_SMTP_STARTTLS") == "1";
    if (settings.smtp.configured() && settings.smtp.from.empty())
        throw std::runtime_error("KILN_SMTP_URL is set: KILN_SMTP_FROM must be set too");
    if (settings.smtp.configured() && !settings.smtp.url.starts_with("smtp://") &&
        !settings.smtp.url.starts_with("smtps://"))
        throw std::runtime_error("KILN_SMTP_URL must start with smtp:// or smtps://");
    return settings;
}

std::string IdentitySettings::InvitationLink(const std::string& token) const {
    return public_url + "/accept-invitation?token=" + token;
}

std::string IdentitySettings::ResetLink(const std::string& token) const {
    return public_url + "/reset-password?token=" + token;
}

}  // namespace kiln::identity
