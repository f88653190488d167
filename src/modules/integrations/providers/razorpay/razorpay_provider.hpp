#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// Razorpay: payments through orders (RazorpayGateway) paid in Checkout, webhooks signed with
/// `X-Razorpay-Signature`, and the Checkout verification route.
class RazorpayProvider final : public Provider {
  public:
    RazorpayProvider();
    /// One event per delivery, keyed by the hash of the signed body (see BodyHash).
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// payment.captured / order.paid, payment.failed and a full refund.processed move the payment of the order.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
    /// Orders take no idempotency key.
    bool ReplaysKeyedCreate() const override { return false; }
    /// Checkout opens with the integration's key_id.
    nlohmann::json CheckoutFields(const ProviderConfig& config) const override;
    /// Razorpay refunds the captured payment (pay_…), not the order: the id a webhook or the Checkout verification
    /// recorded in gateway_response.razorpay_payment_id.
    std::string RefundReference(const std::string& gateway_ref, const nlohmann::json& gateway_response) const override;
    /// POST /payments/razorpay/verify.
    void RegisterRoutes(http::RouteTable& routes, const IntegrationService& service) const override;
};

}  // namespace kiln::integrations
