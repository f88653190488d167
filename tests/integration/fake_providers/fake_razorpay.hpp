#pragma once

// A local Razorpay (https://api.razorpay.com) for adapter tests: exact Basic auth with key_id:key_secret,
// JSON bodies, Orders, Payments (fetch, list) and Refunds (with X-Refund-Idempotency replays), checked like
// Razorpay does. Kiln's adapter talks to `{base_url()}/v1/...`.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

class FakeRazorpay : public FakeProviderBase {
  public:
    FakeRazorpay(std::string key_id, std::string key_secret);
    ~FakeRazorpay() override;

    /// Creates a payment entity `pay_…` for the order (status created|authorized|captured|refunded|failed) and
    /// moves the order along (attempted; paid when captured). Returns its id, or "" for an unknown order.
    std::string AddPayment(const std::string& order_id, const std::string& status);
    std::optional<nlohmann::json> order(const std::string& id) const;
    std::optional<nlohmann::json> payment(const std::string& id) const;
    /// Orders created, in order.
    std::vector<nlohmann::json> orders() const;
    /// Refunds created (replays not counted), in order.
    std::vector<nlohmann::json> refunds() const;

    /// lowercase hex HMAC-SHA256(key_secret, order_id + "|" + payment_id) — Checkout's razorpay_signature.
    static std::string PaymentSignature(const std::string& key_secret, const std::string& order_id,
                                        const std::string& payment_id);
    /// lowercase hex HMAC-SHA256(webhook secret, body) — X-Razorpay-Signature.
    static std::string WebhookSignature(const std::string& secret, const std::string& body);

  private:
    Reply Handle(const ReceivedRequest& request) override;
    Reply CreateOrder(const ReceivedRequest& request, const nlohmann::json& body);
    Reply ListPayments(const ReceivedRequest& request, const std::string& query);
    Reply CreateRefund(const ReceivedRequest& request, const std::string& payment_id, const nlohmann::json& body);
    Reply Error(const ReceivedRequest& request, int status, const std::string& description,
                const std::string& field = "", const std::string& code = "BAD_REQUEST_ERROR",
                const std::string& detail = "");

    std::string key_id_;
    std::string key_secret_;
    std::map<std::string, nlohmann::json> orders_;
    std::vector<std::string> order_ids_;
    std::map<std::string, nlohmann::json> payments_;
    std::vector<std::string> payment_ids_;
    std::vector<nlohmann::json> refunds_;
    struct StoredRefund {
        std::string payment_id;
        nlohmann::json body;
        Reply reply;
    };
    std::map<std::string, StoredRefund> refund_keys_;  // X-Refund-Idempotency -> the first answer
};

}  // namespace kiln::testing
