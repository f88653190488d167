#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/gateway_api.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// Stripe PaymentIntents and Refunds over the v1 REST API (https://api.stripe.com, or the integration's base_url):
/// bearer secret key, the pinned `Stripe-Version` on every call, form-encoded bodies with bracket keys, and an
/// `Idempotency-Key` on every POST so that ProviderClient may repeat it.
class StripeGateway final : public PaymentGateway {
  public:
    explicit StripeGateway(const ProviderClient& client);

    void TestConnection() override;
    GatewayObject CreateIntent(const PaymentIntentRequest& request) override;
    /// `ref` must be a PaymentIntent id (pi_…).
    GatewayObject Retrieve(const std::string& ref) override;
    /// `ref` must be a PaymentIntent id (pi_…); refunds its charge.
    GatewayRefund Refund(const std::string& ref, std::optional<int64_t> amount,
                         const std::string& idempotency_key) override;

  private:
    using FormFields = std::vector<std::pair<std::string, std::string>>;

    /// Stripe takes form-encoded bodies with bracket keys.
    nlohmann::json Post(const std::string& path, const FormFields& fields, const std::string& idempotency_key) const;
    GatewayObject IntentObject(nlohmann::json intent) const;
    void CheckIntentId(const std::string& ref) const;

    GatewayApi api_;
};

}  // namespace kiln::integrations
