#include "modules/integrations/inbound/inbound_verification.hpp"

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/form_encoding.hpp"
#include "modules/integrations/signatures/docusign_signature.hpp"
#include "modules/integrations/signatures/razorpay_signature.hpp"
#include "modules/integrations/signatures/sendgrid_signature.hpp"
#include "modules/integrations/signatures/shopify_signature.hpp"
#include "modules/integrations/signatures/stripe_signature.hpp"
#include "modules/integrations/signatures/twilio_signature.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using signatures::VerifyResult;

/// The secrets a webhook may be signed with: the current one and the one being rotated out.
std::vector<std::string> Secrets(const ProviderConfig& config, const std::string& field) {
    std::vector<std::string> secrets;
    for (const auto& name : {field, "previous_" + field})
        if (auto value = config.Get(name); !value.empty()) secrets.push_back(std::move(value));
    if (secrets.empty())
        throw Unauthorized("The integration has no " + field + " configured, so its webhooks cannot be verified.");
    return secrets;
}

void Require(VerifyResult result, const std::string& provider) {
    if (result == VerifyResult::kValid) return;
    throw Unauthorized("The " + provider + " webhook signature does not verify (" +
                       signatures::VerifyResultName(result) + ").");
}

std::string HeaderOr(const http::Request& request, std::string_view name, std::string fallback = "") {
    return request.Header(name).value_or(std::move(fallback));
}

json ParseBody(const std::string& body) {
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) throw BadRequest("The webhook body is not JSON.");
    return parsed;
}

std::string Text(const json& object, const std::string& key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

/// The dedupe key of a provider whose signature covers only the body: the hash of the exact signed
/// bytes. Never a header (x-razorpay-event-id, x-shopify-webhook-id, i-twilio-idempotency-token): no
/// signature covers those, so anyone replaying a captured delivery could change them and have the
/// same signed body applied again (issue 12, item 10). A provider's redelivery sends the same bytes.
std::string BodyHash(const std::string& body) {
    return "sha256:" + crypto::Sha256Hex(body);
}

std::vector<ReceivedEvent> Stripe(const ProviderConfig& config, const http::Request& request,
                                  std::chrono::system_clock::time_point now) {
    Require(signatures::VerifyStripeSignature(HeaderOr(request, "stripe-signature"), request.body,
                                              Secrets(config, "webhook_secret"), now),
            "Stripe");
    const json event = ParseBody(request.body);
    const std::string id = Text(event, "id");
    if (id.empty()) throw BadRequest("The Stripe event has no id.");
    return {{id, Text(event, "type"), request.body}};
}

std::vector<ReceivedEvent> Razorpay(const ProviderConfig& config, const http::Request& request) {
    Require(signatures::VerifyRazorpayWebhook(HeaderOr(request, "x-razorpay-signature"), request.body,
                                              Secrets(config, "webhook_secret")),
            "Razorpay");
    const json event = ParseBody(request.body);
    return {{BodyHash(request.body), Text(event, "event"), request.body}};
}

std::vector<ReceivedEvent> Shopify(const ProviderConfig& config, const http::Request& request) {
    Require(signatures::VerifyShopifyWebhook(HeaderOr(request, "x-shopify-hmac-sha256"), request.body,
                                             Secrets(config, "webhook_secret")),
            "Shopify");
    ParseBody(request.body);
    // The topic header is not signed either; it only picks how the signed body is read, and the body's
    // hash alone is the key, so a replay under another topic is still the same delivery.
    return {{BodyHash(request.body), HeaderOr(request, "x-shopify-topic", "unknown"), request.body}};
}

std::vector<ReceivedEvent> Twilio(const ProviderConfig& config, const http::Request& request,
                                  const std::string& public_url) {
    std::vector<std::pair<std::string, std::string>> params;
    try {
        params = ParseFormUrlEncoded(request.body);
    } catch (const std::invalid_argument&) {
        throw Unauthorized("The Twilio webhook signature does not verify (malformed_body).");
    }
    Require(signatures::VerifyTwilioSignature(HeaderOr(request, "x-twilio-signature"), public_url, params,
                                              Secrets(config, "auth_token")),
            "Twilio");
    json fields = json::object();
    for (const auto& [name, value] : params) fields[name] = value;
    const std::string sid = Text(fields, "MessageSid");
    const std::string status = Text(fields, "MessageStatus");
    if (sid.empty() || status.empty()) throw BadRequest("The Twilio callback has no MessageSid or MessageStatus.");
    // One callback per status change of a message: the pair, both signed parameters, is the event.
    return {{sid + ":" + status, "message.status", fields.dump()}};
}

std::vector<ReceivedEvent> SendGrid(const ProviderConfig& config, const http::Request& request,
                                    std::chrono::system_clock::time_point now) {
    std::vector<std::string> keys;
    for (const char* field : {"webhook_public_key", "previous_webhook_public_key"})
        if (auto key = config.Get(field); !key.empty()) keys.push_back(std::move(key));
    if (keys.empty()) throw Unauthorized("The integration has no webhook_public_key configured.");
    Require(signatures::VerifySendGridSignature(HeaderOr(request, "x-twilio-email-event-webhook-signature"),
                                                HeaderOr(request, "x-twilio-email-event-webhook-timestamp"),
                                                request.body, keys, now),
            "SendGrid");
    const json batch = ParseBody(request.body);
    if (!batch.is_array()) throw BadRequest("The SendGrid event webhook body is not an array.");
    std::vector<ReceivedEvent> events;
    for (const auto& event : batch) {
        if (!event.is_object()) continue;
        std::string id = Text(event, "sg_event_id");
        if (id.empty()) id = BodyHash(event.dump());
        events.push_back({id, Text(event, "event"), event.dump()});
    }
    return events;
}

std::vector<ReceivedEvent> DocuSign(const ProviderConfig& config, const http::Request& request) {
    std::vector<std::string> signatures;
    for (int n = 1; n <= 10; ++n)
        if (auto value = request.Header("x-docusign-signature-" + std::to_string(n))) signatures.push_back(*value);
    Require(signatures::VerifyDocuSignSignatures(signatures, request.body, Secrets(config, "connect_secret")),
            "DocuSign");
    const json event = ParseBody(request.body);
    const json data = event.value("data", json::object());
    const std::string envelope = Text(data, "envelopeId");
    if (envelope.empty()) throw BadRequest("The DocuSign event has no data.envelopeId.");
    // Connect has no event id: the envelope, the event and when it was generated identify it.
    const std::string id = envelope + ":" + Text(event, "event") + ":" + Text(event, "generatedDateTime");
    return {{id, Text(event, "event"), request.body}};
}

}  // namespace

std::vector<ReceivedEvent> VerifyInbound(const ProviderConfig& config, const http::Request& request,
                                         const std::string& public_url, std::chrono::system_clock::time_point now) {
    const std::string& type = config.type();
    if (type == "stripe") return Stripe(config, request, now);
    if (type == "razorpay") return Razorpay(config, request);
    if (type == "shopify") return Shopify(config, request);
    if (type == "twilio") return Twilio(config, request, public_url);
    if (type == "sendgrid") return SendGrid(config, request, now);
    if (type == "docusign") return DocuSign(config, request);
    throw NotFound(type + " integrations receive no webhooks.");
}

}  // namespace kiln::integrations
