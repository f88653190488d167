#pragma once

#include <string>

#include "egress/outbound_client.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// Twilio Programmable Messaging (provider-apis.md §5): form-encoded requests, JSON answers, HTTP Basic with the
/// Account SID and Auth Token. Reads `account_sid`, `auth_token`, `from_number`, `messaging_service_sid`,
/// `status_callback_url` (and `base_url`).
class TwilioSms final : public SmsProvider {
  public:
    explicit TwilioSms(const ProviderClient& client) : client_(client) {}

    /// `GET /2010-04-01/Accounts/{AccountSid}.json`: the account itself, readable with any valid credentials.
    void TestConnection() override;
    /// `POST …/Messages.json` → 201 with the message's sid and first status (`queued`, or `accepted` through a
    /// Messaging Service). Retried by ProviderClient only on 429, which Twilio documents as never processed: a
    /// 5xx or a timeout may have created the message, and Messages have no idempotency key.
    SentMessage Send(const SmsMessage& message) override;
    /// `GET …/Messages/{Sid}.json` → the message's current status word.
    std::string Status(const std::string& provider_message_id) override;

  private:
    /// A request to `/2010-04-01/Accounts/{AccountSid}` + `suffix`, authenticated.
    egress::OutboundRequest Request(const std::string& method, const std::string& suffix) const;
    std::string Field(const nlohmann::json& object, const char* name) const;

    const ProviderClient& client_;
};

}  // namespace kiln::integrations
