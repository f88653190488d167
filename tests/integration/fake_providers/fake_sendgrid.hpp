#pragma once

// A local SendGrid (https://api.sendgrid.com) for adapter tests: Bearer API key, `POST /v3/mail/send` validated
// like SendGrid does (202 + X-Message-Id, or 400 {"errors":[...]}), `GET /v3/scopes`, and an ECDSA P-256 key pair to
// sign Event Webhook deliveries the way SendGrid does. Kiln's adapter talks to `{base_url()}/v3/mail/send`.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

class FakeSendGrid : public FakeProviderBase {
  public:
    explicit FakeSendGrid(std::string api_key);
    ~FakeSendGrid() override;

    /// Accepted mail/send bodies, in order.
    std::vector<nlohmann::json> sent() const;
    /// The X-Message-Id answered for each accepted send, parallel to sent().
    std::vector<std::string> message_ids() const;

    /// The Event Webhook verification key: base64 of the DER SubjectPublicKeyInfo of a P-256 key.
    std::string public_key_base64() const;
    /// base64 of the DER ECDSA/SHA-256 signature over timestamp + body (X-Twilio-Email-Event-Webhook-Signature).
    std::string SignEvent(const std::string& timestamp, const std::string& body) const;

  private:
    struct KeyDeleter {
        void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    };

    Reply Handle(const ReceivedRequest& request) override;

    std::string api_key_;
    std::unique_ptr<EVP_PKEY, KeyDeleter> key_;
    std::vector<nlohmann::json> sent_;
    std::vector<std::string> message_ids_;
};

}  // namespace kiln::testing
