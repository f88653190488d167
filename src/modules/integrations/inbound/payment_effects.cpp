#include "modules/integrations/inbound/payment_effects.hpp"

#include "core/log.hpp"
#include "modules/billing/payment_service.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

std::string UpperAscii(std::string text) {
    for (char& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

/// Why `charged` must not settle `payment`, or "" when it is exactly the payment's amount and currency.
std::string Mismatch(const billing::Payment& payment, const Charged& charged) {
    if (!charged.amount) return "the event does not say how much was paid";
    if (UpperAscii(charged.currency) != payment.amount.currency)
        return "the event is in " + (charged.currency.empty() ? "no currency" : charged.currency) +
               ", the payment in " + payment.amount.currency;
    if (*charged.amount != payment.amount.minor_units)
        return "the event pays " + std::to_string(*charged.amount) + ", the payment is " +
               std::to_string(payment.amount.minor_units);
    return "";
}

/// A success event that does not match its payment settles nothing: the payment stays as it is,
/// flagged in gateway_response.settlement_refused for a person to look at.
InboundOutcome RefuseSettlement(const db::TenantScope& scope, const billing::Payment& payment, const Charged& charged,
                                const std::string& why) {
    const json seen = {{"amount", charged.amount ? json(*charged.amount) : json(nullptr)},
                       {"currency", charged.currency}};
    billing::PaymentService::NoteGatewayResponse(scope, payment.id,
                                                 {{"settlement_refused", {{"reason", why}, {"event", seen}}}});
    log::Warn("gateway event does not match its payment; not settled",
              {{"payment_id", payment.id.str()}, {"reason", why}});
    return {"failed", {{"reason", why}, {"payment_id", payment.id.str()}, {"event", seen}}};
}

}  // namespace

std::optional<int64_t> AmountField(const json& object, const char* field) {
    const auto it = object.find(field);
    if (it == object.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}

GatewayEvent::GatewayEvent(const EventToApply& stored, std::string gateway)
    : scope_(stored.scope),
      gateway_(std::move(gateway)),
      correlation_(gateway_ + ":" + stored.event.provider_event_id) {}

InboundOutcome GatewayEvent::MovePayment(const std::string& ref, const std::string& to, const json& detail,
                                         const Charged& charged, const json& remember) const {
    if (ref.empty()) return IgnoredEvent("the event names no " + gateway_ + " object");
    auto payment = billing::PaymentService::FindByGatewayRef(scope_, gateway_, ref);
    if (!payment) return IgnoredEvent("no payment has gateway reference " + ref);
    const std::string from = billing::kPaymentStatuses.String(payment->status);
    if (to == "succeeded" && (from == "pending" || from == "failed")) {  // a retried or late-authorised attempt
        if (const std::string why = Mismatch(*payment, charged); !why.empty())
            return RefuseSettlement(scope_, *payment, charged, why);
        billing::PaymentService::MarkSucceeded(scope_, payment->id, correlation_);
    } else if (to == "failed" && from == "pending") {
        billing::PaymentService::MarkFailed(scope_, payment->id, detail, correlation_);
    } else if (to == "refunded" && from == "succeeded") {
        billing::PaymentService::MarkRefunded(scope_, payment->id, correlation_);
    } else {
        return IgnoredEvent("payment " + payment->id.str() + " is " + from + "; " + to + " does not apply");
    }
    if (remember.is_object() && !remember.empty()) {
        // What a later call needs from the event, e.g. the Razorpay payment id a refund names.
        billing::PaymentService::NoteGatewayResponse(scope_, payment->id, remember);
    }
    return {"processed", {{"payment_id", payment->id.str()}, {"status", {{"from", from}, {"to", to}}}}};
}

}  // namespace kiln::integrations
