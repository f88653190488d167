#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/gateway_api.hpp"
#include "modules/integrations/provider_client.hpp"
#include "modules/integrations/provider_config.hpp"

namespace kiln::integrations {

/// Razorpay Orders, Payments and Refunds over the v1 REST API (https://api.razorpay.com, or the integration's
/// base_url): `Basic base64(key_id:key_secret)`, JSON bodies. The payer's browser pays an order through Checkout
/// with the integration's key_id and the order id; the resulting payment (pay_…) is what gets refunded.
class RazorpayGateway final : public PaymentGateway {
  public:
    explicit RazorpayGateway(const ProviderClient& client);

    void TestConnection() override;
    /// Creates an order. Razorpay has no idempotency key for orders, so a failed create is never repeated here.
    GatewayObject CreateIntent(const PaymentIntentRequest& request) override;
    /// `ref` is an order id (order_…) or a payment id (pay_…); the answer is that entity.
    GatewayObject Retrieve(const std::string& ref) override;
    /// `ref` must be a payment id (pay_…): Razorpay refunds payments, not orders.
    GatewayRefund Refund(const std::string& ref, std::optional<int64_t> amount,
                         const std::string& idempotency_key) override;

  private:
    /// Razorpay takes JSON bodies; `refund_key` is "" for a call Razorpay has no idempotency key for.
    nlohmann::json Post(const std::string& path, const nlohmann::json& body, const std::string& refund_key) const;
    GatewayObject EntityObject(nlohmann::json entity) const;

    GatewayApi api_;
};

/// Checks the signature Checkout hands the payer's browser after a payment (razorpay_signature) with the
/// integration's key_secret. `order_id` must be the order id Kiln stored, not the one echoed by the browser.
bool VerifyCheckoutSignature(const ProviderConfig& config, const std::string& order_id, const std::string& payment_id,
                             const std::string& signature);

}  // namespace kiln::integrations
