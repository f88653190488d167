#pragma once

#include <string>

#include "egress/outbound_client.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// SendGrid Mail Send v3 (provider-apis.md §3): JSON with a Bearer API key. Reads the configuration fields
/// `api_key`, `from_email`, `from_name` (and `base_url` through ProviderConfig::BaseUrl).
class SendGridEmail final : public EmailProvider {
  public:
    explicit SendGridEmail(const ProviderClient& client) : client_(client) {}

    /// `GET /v3/scopes`: answers for any valid key, so it proves the key without sending mail.
    void TestConnection() override;
    /// `POST /v3/mail/send`. SendGrid answers 202 (queued, not delivered) with the id in `X-Message-Id`. Not
    /// retried after a timeout or a 5xx: mail send has no idempotency key, and a second attempt could mail twice.
    SentMessage Send(const EmailMessage& message) override;

  private:
    egress::OutboundRequest Request(const std::string& method, const std::string& path) const;
    /// The JSON body of a mail send.
    nlohmann::json MailBody(const EmailMessage& message) const;
    [[noreturn]] void Fail(const egress::OutboundResponse& response) const;

    const ProviderClient& client_;
};

}  // namespace kiln::integrations
