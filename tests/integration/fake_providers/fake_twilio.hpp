#pragma once

// A local Twilio (https://api.twilio.com) for adapter tests: Basic auth with AccountSid:AuthToken or an API key,
// form-encoded `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` checked like Twilio, message and account
// fetch, and the X-Twilio-Signature algorithm. Kiln's adapter talks to
// `{base_url()}/2010-04-01/Accounts/{AccountSid}/...`.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

class FakeTwilio : public FakeProviderBase {
  public:
    FakeTwilio(std::string account_sid, std::string auth_token);
    ~FakeTwilio() override;

    /// Also accept Basic auth with this API key (SK…) and secret, for the same account.
    void AddApiKey(const std::string& sid, const std::string& secret);
    /// Moves a message to `status` (queued, sending, sent, delivered, undelivered, failed, ...).
    void SetStatus(const std::string& sid, const std::string& status);
    /// Messages created, in order, in their current state.
    std::vector<nlohmann::json> messages() const;
    std::optional<nlohmann::json> message(const std::string& sid) const;

    /// X-Twilio-Signature: base64(HMAC-SHA1(auth_token, url + name+value of each param sorted by name, then value)).
    static std::string Signature(const std::string& auth_token, const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& params);

  private:
    Reply Handle(const ReceivedRequest& request) override;
    Reply CreateMessage(const ReceivedRequest& request);
    Reply TwilioError(const ReceivedRequest& request, int status, int code, const std::string& message);

    std::string account_sid_;
    std::string auth_token_;
    std::map<std::string, std::string> api_keys_;
    std::map<std::string, nlohmann::json> messages_;
    std::vector<std::string> message_order_;
};

}  // namespace kiln::testing
