#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// SendGrid: email through Mail Send (SendGridEmail), delivery events through the Signed Event Webhook.
class SendGridProvider final : public Provider {
  public:
    SendGridProvider();
    /// A batch of events, each keyed by its sg_event_id (or the hash of the event when it has none).
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// Delivery events move the message's status; engagement events (open, click) are not statuses.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
};

}  // namespace kiln::integrations
