#include "core/error.hpp"
#include "modules/integrations/inbound/message_status_effect.hpp"
#include "modules/integrations/inbound/webhook_checks.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_provider.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_signature.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

/// SendGrid's event words, as message statuses.
std::string SendGridStatus(const std::string& event) {
    if (event == "processed") return "sent";
    if (event == "deferred") return "sending";
    if (event == "bounce") return "bounced";
    return event;  // delivered, dropped; engagement events (open, click) are not statuses
}

}  // namespace

std::vector<ReceivedEvent> SendGridProvider::VerifyInbound(const WebhookDelivery& delivery) const {
    const http::Request& request = delivery.request;
    std::vector<std::string> keys;
    for (const char* field : {"webhook_public_key", "previous_webhook_public_key"})
        if (auto key = delivery.config.Get(field); !key.empty()) keys.push_back(std::move(key));
    if (keys.empty()) throw Unauthorized("The integration has no webhook_public_key configured.");
    RequireVerified(signatures::VerifySendGridSignature(HeaderOr(request, "x-twilio-email-event-webhook-signature"),
                                                        HeaderOr(request, "x-twilio-email-event-webhook-timestamp"),
                                                        request.body, keys, delivery.now),
                    "SendGrid");
    const json batch = ParseWebhookBody(request.body);
    if (!batch.is_array()) throw BadRequest("The SendGrid event webhook body is not an array.");
    std::vector<ReceivedEvent> events;
    for (const auto& event : batch) {
        if (!event.is_object()) continue;
        std::string id = StringField(event, "sg_event_id");
        if (id.empty()) id = BodyHash(event.dump());
        events.push_back({id, StringField(event, "event"), event.dump()});
    }
    return events;
}

InboundOutcome SendGridProvider::ApplyInbound(const EventToApply& stored) const {
    const db::TenantScope& scope = stored.scope;
    const json& body = stored.body;
    const std::string event_name = StringAt(body, "/event"_json_pointer);
    if (event_name == "open" || event_name == "click") return IgnoredEvent("engagement events are not statuses");
    const std::string reason = StringAt(body, "/reason"_json_pointer);
    // An sg_message_id starts with the X-Message-Id Kiln stored when it sent the mail: the part before the first '.'.
    const std::string message_id = StringAt(body, "/sg_message_id"_json_pointer);
    return ApplyMessageStatus(scope, type(), message_id, message_id.substr(0, message_id.find('.')),
                              SendGridStatus(event_name),
                              reason.empty() ? std::nullopt : std::optional<std::string>(reason));
}

}  // namespace kiln::integrations
