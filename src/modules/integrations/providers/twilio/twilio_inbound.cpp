#include "core/error.hpp"
#include "core/form_encoding.hpp"
#include "modules/integrations/inbound/message_status_effect.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/twilio/twilio_provider.hpp"
#include "modules/integrations/providers/twilio/twilio_signature.hpp"

namespace kiln::integrations {

using nlohmann::json;

std::vector<ReceivedEvent> TwilioProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    std::vector<std::pair<std::string, std::string>> params;
    try {
        params = ParseFormUrlEncoded(request.body);
    } catch (const std::invalid_argument&) {
        throw Unauthorized("The Twilio webhook signature does not verify (malformed_body).");
    }
    RequireVerified(signatures::VerifyTwilioSignature(HeaderOr(request, "x-twilio-signature"), delivery.public_url,
                                                      params, WebhookSecrets(delivery.config, "auth_token")),
                    "Twilio");
    json fields = json::object();
    for (const auto& [name, value] : params) fields[name] = value;
    const std::string sid = StringField(fields, "MessageSid");
    const std::string status = StringField(fields, "MessageStatus");
    if (sid.empty() || status.empty()) throw BadRequest("The Twilio callback has no MessageSid or MessageStatus.");
    // One callback per status change of a message: the pair, both signed parameters, is the event.
    return {{sid + ":" + status, "message.status", fields.dump()}};
}

InboundOutcome TwilioProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const json& body = stored.body;
    const std::string code = StringAt(body, "/ErrorCode"_json_pointer);
    const std::string message_id = StringAt(body, "/MessageSid"_json_pointer);
    return ApplyMessageStatus(scope, type(), message_id, message_id, StringAt(body, "/MessageStatus"_json_pointer),
                              code.empty() ? std::nullopt : std::optional<std::string>("Twilio error " + code));
}

}  // namespace kiln::integrations
