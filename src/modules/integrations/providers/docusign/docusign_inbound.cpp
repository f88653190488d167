#include "core/error.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/docusign/docusign_connect_signature.hpp"
#include "modules/integrations/providers/docusign/docusign_provider.hpp"
#include "modules/integrations/signature_requests/signature_request_repository.hpp"

namespace kiln::integrations {

using nlohmann::json;

std::vector<ReceivedEvent> DocuSignProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    std::vector<std::string> signatures;
    for (int n = 1; n <= 10; ++n)
        if (auto value = request.Header("x-docusign-signature-" + std::to_string(n))) signatures.push_back(*value);
    RequireVerified(signatures::VerifyDocuSignSignatures(signatures, request.body,
                                                         WebhookSecrets(delivery.config, "connect_secret")),
                    "DocuSign");
    const json event = ParseWebhookBody(request.body);
    const json data = event.value("data", json::object());
    const std::string envelope = StringField(data, "envelopeId");
    if (envelope.empty()) throw BadRequest("The DocuSign event has no data.envelopeId.");
    // Connect has no event id: the envelope, the event and when it was generated identify it.
    const std::string id = envelope + ":" + StringField(event, "event") + ":" + StringField(event, "generatedDateTime");
    return {{id, StringField(event, "event"), request.body}};
}

InboundOutcome DocuSignProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const InboundEvent& event = stored.event;
    const json& body = stored.body;
    const std::string envelope = StringAt(body, "/data/envelopeId"_json_pointer);
    const std::string prefix = "envelope-";
    if (!event.event_type.starts_with(prefix)) return IgnoredEvent("Kiln does not act on " + event.event_type);
    const std::string status = event.event_type.substr(prefix.size());
    if (!UpdateSignatureStatusByEnvelope(scope, envelope, status))
        return IgnoredEvent("no signature request of envelope " + envelope + " that " + status + " moves forward");
    return {"processed", {{"envelope_id", envelope}, {"status", status}}};
}

}  // namespace kiln::integrations
