#include "modules/integrations/inbound/inbound_effects.hpp"

#include "core/log.hpp"
#include "modules/billing/payment_repository.hpp"
#include "modules/integrations/commerce/commerce_upserts.hpp"
#include "modules/integrations/messaging/message_repository.hpp"
#include "modules/integrations/providers/shopify_rest.hpp"
#include "modules/integrations/signature_requests/signature_request_repository.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

std::string Text(const json& object, const json::json_pointer& path) {
    if (!object.contains(path)) return "";
    const auto& value = object.at(path);
    return value.is_string() ? value.get<std::string>() : "";
}

InboundOutcome Ignored(const std::string& why) {
    return {"ignored", {{"reason", why}}};
}

/// What a gateway's success event says was paid: held against the payment before anything settles.
struct Charged {
    std::optional<int64_t> amount;  // minor units; absent when the event does not say
    std::string currency;           // as the gateway writes it (Stripe: lower case)
};

std::optional<int64_t> Integer(const json& object, const char* field) {
    const auto it = object.find(field);
    if (it == object.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}

std::string UpperAscii(std::string text) {
    for (char& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

/// Why `charged` must not settle `payment`, or "" when it is exactly the payment's amount and currency.
std::string Mismatch(const billing::Payment& payment, const Charged& charged) {
    if (!charged.amount) return "the event does not say how much was paid";
    if (UpperAscii(charged.currency) != payment.currency)
        return "the event is in " + (charged.currency.empty() ? "no currency" : charged.currency) +
               ", the payment in " + payment.currency;
    if (*charged.amount != payment.amount)
        return "the event pays " + std::to_string(*charged.amount) + ", the payment is " +
               std::to_string(payment.amount);
    return "";
}

/// A success event that does not match its payment settles nothing: the payment stays as it is,
/// flagged in gateway_response.settlement_refused for a person to look at.
InboundOutcome RefuseSettlement(const db::TenantScope& scope, const billing::Payment& payment, const Charged& charged,
                                const std::string& why) {
    const json seen = {{"amount", charged.amount ? json(*charged.amount) : json(nullptr)},
                       {"currency", charged.currency}};
    auto flagged = billing::PaymentRepository::FindForUpdate(scope, payment.id);
    json response = flagged->gateway_response.value_or(json::object());
    response["settlement_refused"] = {{"reason", why}, {"event", seen}};
    flagged->gateway_response = std::move(response);
    flagged->updated_at = Now();
    billing::PaymentRepository::Update(scope, *flagged);
    log::Warn("gateway event does not match its payment; not settled",
              {{"payment_id", payment.id.str()}, {"reason", why}});
    return {"failed", {{"reason", why}, {"payment_id", payment.id.str()}, {"event", seen}}};
}

/// Moves a gateway payment forward: pending → succeeded or failed, failed → succeeded (the payer
/// retried, or the bank authorised late), succeeded → refunded. Anything else (a replay, a late
/// failure after success) leaves it as it is. A success settles only when `charged` is exactly the
/// payment's amount and currency.
InboundOutcome MovePayment(const db::TenantScope& scope, const std::string& gateway, const std::string& ref,
                           const std::string& to, const json& detail, const std::string& correlation,
                           const Charged& charged = {}, const json& remember = json()) {
    if (ref.empty()) return Ignored("the event names no " + gateway + " object");
    auto payment = billing::PaymentRepository::FindByGatewayRef(scope, gateway, ref);
    if (!payment) return Ignored("no payment has gateway reference " + ref);
    const std::string from = payment->status;
    if (to == "succeeded" && (from == "pending" || from == "failed")) {  // a retried or late-authorised attempt
        if (const std::string why = Mismatch(*payment, charged); !why.empty())
            return RefuseSettlement(scope, *payment, charged, why);
        billing::PaymentRepository::MarkSucceeded(scope, payment->id, correlation);
    } else if (to == "failed" && from == "pending") {
        billing::PaymentRepository::MarkFailed(scope, payment->id, detail, correlation);
    } else if (to == "refunded" && from == "succeeded") {
        billing::PaymentRepository::MarkRefunded(scope, payment->id, correlation);
    } else {
        return Ignored("payment " + payment->id.str() + " is " + from + "; " + to + " does not apply");
    }
    if (remember.is_object() && !remember.empty()) {
        // What a later call needs from the event, e.g. the Razorpay payment id a refund names.
        auto moved = billing::PaymentRepository::Find(scope, payment->id);
        json response = moved->gateway_response.value_or(json::object());
        response.update(remember);
        moved->gateway_response = std::move(response);
        billing::PaymentRepository::Update(scope, *moved);
    }
    return {"processed", {{"payment_id", payment->id.str()}, {"status", {{"from", from}, {"to", to}}}}};
}

InboundOutcome Stripe(const db::TenantScope& scope, const InboundEvent& event, const json& body) {
    const json object = body.value("/data/object"_json_pointer, json::object());
    const std::string correlation = "stripe:" + event.provider_event_id;
    if (event.event_type == "payment_intent.succeeded") {
        // amount_received is what was captured; amount, what was asked, only when the event leaves it out.
        Charged charged{Integer(object, "amount_received"), Text(object, "/currency"_json_pointer)};
        if (!charged.amount) charged.amount = Integer(object, "amount");
        return MovePayment(scope, "stripe", Text(object, "/id"_json_pointer), "succeeded", json(), correlation,
                           charged);
    }
    if (event.event_type == "payment_intent.payment_failed")
        return MovePayment(scope, "stripe", Text(object, "/id"_json_pointer), "failed",
                           object.value("last_payment_error", json::object()), correlation);
    if (event.event_type == "charge.refunded" && object.value("refunded", false))
        return MovePayment(scope, "stripe", Text(object, "/payment_intent"_json_pointer), "refunded", json(),
                           correlation);
    return Ignored("Kiln does not act on " + event.event_type);
}

InboundOutcome Razorpay(const db::TenantScope& scope, const InboundEvent& event, const json& body) {
    const json payment = body.value("/payload/payment/entity"_json_pointer, json::object());
    const std::string correlation = "razorpay:" + event.provider_event_id;
    const std::string order = Text(payment, "/order_id"_json_pointer);
    if (event.event_type == "payment.captured")
        return MovePayment(scope, "razorpay", order, "succeeded", json(), correlation,
                           {Integer(payment, "amount"), Text(payment, "/currency"_json_pointer)},
                           {{"razorpay_payment_id", payment.value("id", "")}});
    if (event.event_type == "order.paid") {
        const json paid_order = body.value("/payload/order/entity"_json_pointer, json::object());
        return MovePayment(scope, "razorpay", Text(paid_order, "/id"_json_pointer), "succeeded", json(), correlation,
                           {Integer(paid_order, "amount_paid"), Text(paid_order, "/currency"_json_pointer)});
    }
    if (event.event_type == "payment.failed")
        return MovePayment(scope, "razorpay", order, "failed",
                           {{"error_code", payment.value("error_code", json())},
                            {"error_description", payment.value("error_description", json())}},
                           correlation);
    if (event.event_type == "refund.processed" && payment.value("amount_refunded", 0) >= payment.value("amount", 1))
        return MovePayment(scope, "razorpay", order, "refunded", json(), correlation);
    return Ignored("Kiln does not act on " + event.event_type);
}

InboundOutcome MessageStatus(const db::TenantScope& scope, const std::string& provider, const std::string& message_id,
                             const std::string& status, const std::optional<std::string>& error) {
    if (message_id.empty() || status.empty()) return Ignored("the event names no message or status");
    const bool moved = MessageRepository::UpdateStatusByProviderId(scope, provider, message_id, status, error);
    if (!moved) return Ignored("no message " + message_id + " that " + status + " moves forward");
    return {"processed", {{"provider_message_id", message_id}, {"status", status}}};
}

/// SendGrid's event words, as message statuses.
std::string SendGridStatus(const std::string& event) {
    if (event == "processed") return "sent";
    if (event == "deferred") return "sending";
    if (event == "bounce") return "bounced";
    return event;  // delivered, dropped; engagement events (open, click) are not statuses
}

InboundOutcome SignatureStatus(const db::TenantScope& scope, const InboundEvent& event, const json& body) {
    const std::string envelope = Text(body, "/data/envelopeId"_json_pointer);
    const std::string prefix = "envelope-";
    if (!event.event_type.starts_with(prefix)) return Ignored("Kiln does not act on " + event.event_type);
    const std::string status = event.event_type.substr(prefix.size());
    if (!UpdateSignatureStatusByEnvelope(scope, envelope, status))
        return Ignored("no signature request of envelope " + envelope + " that " + status + " moves forward");
    return {"processed", {{"envelope_id", envelope}, {"status", status}}};
}

/// Shopify's products/* and orders/* webhooks carry the REST shape of the object: applied as the sync
/// would apply it, so an object arriving either way ends up the same.
InboundOutcome Shopify(const db::TenantScope& scope, const Integration& integration, const InboundEvent& event,
                       const json& body) {
    SyncCounts counts;
    const std::string& topic = event.event_type;
    if (topic == "products/create" || topic == "products/update") {
        ApplyProducts(scope, integration, {ProductFromRest(body)}, counts);
    } else if (topic == "orders/create" || topic == "orders/updated" || topic == "orders/paid") {
        ApplyOrders(scope, integration, {OrderFromRest(body)}, counts);
    } else {
        return Ignored("Kiln does not act on " + topic);
    }
    json errors = json::array();
    for (const auto& error : counts.errors) errors.push_back({{"item", error.item}, {"message", error.message}});
    // An item error is a result, not a failure to retry: the same body would fail the same way.
    return {errors.empty() ? "processed" : "failed",
            {{"created", counts.created}, {"updated", counts.updated}, {"errors", errors}}};
}

}  // namespace

InboundOutcome ApplyInboundEvent(const db::TenantScope& scope, const Integration& integration,
                                 const InboundEvent& event) {
    const json body = json::parse(event.payload, nullptr, false);
    if (body.is_discarded()) return Ignored("the stored payload is not JSON");
    if (integration.type == "stripe") return Stripe(scope, event, body);
    if (integration.type == "razorpay") return Razorpay(scope, event, body);
    if (integration.type == "twilio") {
        const std::string code = Text(body, "/ErrorCode"_json_pointer);
        return MessageStatus(scope, "twilio", Text(body, "/MessageSid"_json_pointer),
                             Text(body, "/MessageStatus"_json_pointer),
                             code.empty() ? std::nullopt : std::optional<std::string>("Twilio error " + code));
    }
    if (integration.type == "sendgrid") {
        const std::string event_name = Text(body, "/event"_json_pointer);
        if (event_name == "open" || event_name == "click") return Ignored("engagement events are not statuses");
        const std::string reason = Text(body, "/reason"_json_pointer);
        return MessageStatus(scope, "sendgrid", Text(body, "/sg_message_id"_json_pointer), SendGridStatus(event_name),
                             reason.empty() ? std::nullopt : std::optional<std::string>(reason));
    }
    if (integration.type == "docusign") return SignatureStatus(scope, event, body);
    if (integration.type == "shopify") return Shopify(scope, integration, event, body);
    return Ignored("Kiln does not act on " + integration.type + " " + event.event_type + " events");
}

}  // namespace kiln::integrations
