#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// Twilio: SMS through Programmable Messaging (TwilioSms), delivery status callbacks signed with
/// `X-Twilio-Signature` over the hook's public URL and the form parameters.
class TwilioProvider final : public Provider {
  public:
    TwilioProvider();
    /// One event per callback, keyed by MessageSid:MessageStatus (both signed).
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// Moves the message's status, with Twilio's error code.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
};

}  // namespace kiln::integrations
