#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// Stripe: payments through PaymentIntents (StripeGateway), webhooks signed with `Stripe-Signature`.
class StripeProvider final : public Provider {
  public:
    StripeProvider();
    /// One event per delivery, keyed by its `evt_…` id (covered by the signature).
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// payment_intent.succeeded / .payment_failed and charge.refunded move the payment of the PaymentIntent.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
};

}  // namespace kiln::integrations
