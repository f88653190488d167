#pragma once

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// DocuSign: envelopes over the eSignature REST API (DocuSignEnvelopes), status events through Connect, signed with
/// `X-DocuSign-Signature-N` HMAC headers (docusign_connect_signature).
class DocuSignProvider final : public Provider {
  public:
    DocuSignProvider();
    /// The REST host and the OAuth host ("docusign.oauth").
    std::vector<std::string> OperatorEndpointKeys() const override;
    /// One event per delivery, keyed by envelope, event and generatedDateTime (Connect has no event id).
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// envelope-* events move the signature request of the envelope.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
};

}  // namespace kiln::integrations
