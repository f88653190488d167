#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "egress/outbound_client.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// Amazon SES v2 SendEmail (provider-apis.md §4): JSON signed with AWS Signature V4 (service `ses`). Reads
/// `access_key_id`, `secret_access_key`, `session_token`, `region`, `from_email`, `from_name`,
/// `configuration_set_name` (and `base_url`, which replaces `https://email.{region}.amazonaws.com`).
class SesEmail final : public EmailProvider {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// `clock` dates the signatures and the MIME `Date:` header; tests inject a fixed one.
    explicit SesEmail(const ProviderClient& client, Clock clock = std::chrono::system_clock::now)
        : client_(client), clock_(std::move(clock)) {}

    /// `GET /v2/email/account`: reads the account's sending quota, so it proves the keys and the region.
    void TestConnection() override;
    /// `POST /v2/email/outbound-emails` → 200 {"MessageId"}. Content is `Template` with a template id, else
    /// `Simple` without attachments, else `Raw` (a MIME message built here). Sent once (retry_safe = false): SES
    /// has no idempotency key, and a signature is bound to its instant, so a later attempt must be signed anew.
    SentMessage Send(const EmailMessage& message) override;

  private:
    /// Signs and sends one request to `path` under the base URL.
    egress::OutboundResponse Call(const std::string& method, const std::string& path, std::string body,
                                  bool retry_safe) const;
    nlohmann::json SendBody(const EmailMessage& message) const;
    nlohmann::json Content(const EmailMessage& message, const EmailAddress& from) const;
    /// The complete MIME message of `Content.Raw` (no Bcc header: Bcc goes in Destination only).
    std::string Mime(const EmailMessage& message, const EmailAddress& from) const;
    /// "email" or "Name <email>", the name quoted or RFC 2047-encoded as needed; `fold` separates encoded words.
    std::string FormatAddress(const EmailAddress& address, const std::string& fold) const;
    EmailAddress Sender(const EmailMessage& message) const;
    [[noreturn]] void Fail(const egress::OutboundResponse& response) const;

    const ProviderClient& client_;
    Clock clock_;
};

}  // namespace kiln::integrations
