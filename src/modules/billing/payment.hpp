#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/enum_text.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "modules/billing/invoice.hpp"

namespace kiln::billing {

using PaymentId = TypedId<struct PaymentIdTag>;

/// pending → succeeded | failed, failed → succeeded (a retried or late-authorised attempt), succeeded → refunded
/// (PaymentService). Manual payments are created succeeded.
enum class PaymentStatus { kPending, kSucceeded, kFailed, kRefunded };
inline constexpr EnumText<PaymentStatus, 4> kPaymentStatuses({"pending", "succeeded", "failed", "refunded"});

/// A payment against one invoice: manual ones succeed at once, gateway ones start pending.
struct Payment {
    PaymentId id;
    InvoiceId invoice_id;
    Money amount;                 // in the invoice's currency
    int64_t refunded_amount = 0;  // minor units of it refunded so far
    std::string method;           // cash, bank_transfer, card, other
    std::string gateway = "manual";
    std::optional<std::string> gateway_ref;
    std::optional<nlohmann::json> gateway_response;
    PaymentStatus status = PaymentStatus::kPending;
    std::optional<Timestamp> succeeded_at;
    std::optional<Timestamp> refunded_at;
    Timestamp created_at;
    Timestamp updated_at;
    int64_t refundable() const { return amount.minor_units - refunded_amount; }
    nlohmann::json ToJson() const;
};

}  // namespace kiln::billing
