#pragma once

// A local Stripe (https://api.stripe.com) for adapter tests: Basic/Bearer secret-key auth, form-encoded
// bodies with bracket notation, PaymentIntents, Refunds and idempotency keys, checked like Stripe does, and
// `GET /v1/balance` (what a connectivity check calls).
// Kiln's adapter talks to `{base_url()}/v1/...`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

class FakeStripe : public FakeProviderBase {
  public:
    explicit FakeStripe(std::string secret_key);
    ~FakeStripe() override;

    /// Moves a PaymentIntent to `status` (e.g. "succeeded", which also sets amount_received and latest_charge).
    void SetIntentStatus(const std::string& id, const std::string& status);
    /// PaymentIntents created (replays not counted).
    size_t intents_created() const;
    std::optional<nlohmann::json> intent(const std::string& id) const;
    /// Refunds created, in order.
    std::vector<nlohmann::json> refunds() const;

    /// `t=<unix_time>,v1=<hex HMAC-SHA256(webhook_secret, "<unix_time>.<body>")>`.
    static std::string SignatureHeader(const std::string& webhook_secret, const std::string& body, int64_t unix_time);
    /// An Event body: {"id","object":"event","type","data":{"object":...},"created",...}.
    static std::string EventJson(const std::string& event_id, const std::string& type, const nlohmann::json& object);

  private:
    struct Outcome {
        Reply reply;
        bool store = false;  // whether an idempotency key saves this result
    };
    struct StoredResult {
        std::string endpoint;  // "POST /v1/refunds"
        nlohmann::json params;
        Reply reply;
    };

    Reply Handle(const ReceivedRequest& request) override;
    Outcome CreateIntent(const ReceivedRequest& request, const nlohmann::json& params);
    Outcome CreateRefund(const ReceivedRequest& request, const nlohmann::json& params);
    Outcome Error(const ReceivedRequest& request, int status, const std::string& type, const std::string& message,
                  const std::string& param = "", const std::string& code = "", bool store = false);

    std::string secret_key_;
    std::map<std::string, nlohmann::json> intents_;
    std::map<std::string, int64_t> refunded_;  // payment intent id -> amount refunded
    std::vector<nlohmann::json> refunds_;
    std::map<std::string, StoredResult> idempotency_;
    size_t intents_created_ = 0;
};

}  // namespace kiln::testing
