#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "modules/integrations/inbound/inbound_effects.hpp"

namespace kiln::integrations {

/// What a gateway's success event says was paid: held against the payment before anything settles.
struct Charged {
    std::optional<int64_t> amount;  // minor units; absent when the event does not say
    std::string currency;           // as the gateway writes it (Stripe: lower case)
};

/// The integer amount `field` of a gateway object; absent when the object does not have one.
std::optional<int64_t> AmountField(const nlohmann::json& object, const char* field);

/// Moves the payment of a gateway object forward: pending → succeeded or failed, failed → succeeded (the payer
/// retried, or the bank authorised late), succeeded → refunded. Anything else (a replay, a late failure after
/// success) leaves it as it is. A success settles only when `charged` is exactly the payment's amount and currency;
/// otherwise the payment stays as it is, flagged in gateway_response.settlement_refused. `remember` is merged into
/// the payment's gateway_response after a move (what a later call needs, e.g. the Razorpay payment id a refund names).
InboundOutcome MovePayment(const db::TenantScope& scope, const std::string& gateway, const std::string& ref,
                           const std::string& to, const nlohmann::json& detail, const std::string& correlation,
                           const Charged& charged = {}, const nlohmann::json& remember = nlohmann::json());

}  // namespace kiln::integrations
