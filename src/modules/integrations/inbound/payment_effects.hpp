#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "modules/integrations/inbound/inbound_effects.hpp"
#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// What a gateway's success event says was paid: held against the payment before anything settles.
struct Charged {
    std::optional<int64_t> amount;  // minor units; absent when the event does not say
    std::string currency;           // as the gateway writes it (Stripe: lower case)
};

/// The integer amount `field` of a gateway object; absent when the object does not have one.
std::optional<int64_t> AmountField(const nlohmann::json& object, const char* field);

/// A verified event of a payment gateway, applied to the payment of the gateway object it names. Every move it makes
/// is correlated "<gateway>:<provider event id>", so the payment's postings name the event that caused them.
class GatewayEvent {
  public:
    /// `gateway` is the provider's type, which is what payments name as their gateway.
    GatewayEvent(const EventToApply& stored, std::string gateway);

    /// Moves the payment of gateway object `ref` forward: pending → succeeded or failed, failed → succeeded (the
    /// payer retried, or the bank authorised late), succeeded → refunded. Anything else (a replay, a late failure
    /// after success) leaves it as it is. A success settles only when `charged` is exactly the payment's amount and
    /// currency; otherwise the payment stays as it is, flagged in gateway_response.settlement_refused. `remember` is
    /// merged into the payment's gateway_response after a move (what a later call needs, e.g. the Razorpay payment id
    /// a refund names).
    InboundOutcome MovePayment(const std::string& ref, const std::string& to,
                               const nlohmann::json& detail = nlohmann::json(), const Charged& charged = {},
                               const nlohmann::json& remember = nlohmann::json()) const;

  private:
    const db::TenantScope& scope_;
    std::string gateway_;
    std::string correlation_;
};

}  // namespace kiln::integrations
