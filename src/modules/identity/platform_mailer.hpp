#pragma once

#include <string>

#include "modules/identity/identity_settings.hpp"

namespace kiln::identity {

/// One plain-text mail from the platform to one address.
struct PlatformMail {
    std::string to;
    std::string subject;
    std::string text;
};

/// Sends the platform's own mail (invitations, password resets) over SMTP with libcurl. It talks
/// only to the operator's relay, so it does not go through the tenants' egress guard; nothing a
/// tenant controls reaches its URL, sender or credentials. Used from jobs, never on a request
/// thread: a slow relay holds a worker, not a client.
class PlatformMailer final {
  public:
    explicit PlatformMailer(SmtpSettings settings) : settings_(std::move(settings)) {}

    bool configured() const { return settings_.configured(); }
    /// Throws Error(kUpstream) when the relay refuses or cannot be reached (the job retries), and
    /// ValidationError for an address or subject that would break the message's headers.
    void Send(const PlatformMail& mail) const;

  private:
    SmtpSettings settings_;
};

}  // namespace kiln::identity
