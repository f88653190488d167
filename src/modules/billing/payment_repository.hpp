#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/billing/invoice_repository.hpp"

namespace kiln::billing {

using PaymentId = TypedId<struct PaymentIdTag>;

/// A payment against one invoice: manual ones succeed at once, gateway ones start pending.
struct Payment {
    PaymentId id;
    std::string invoice_id;
    int64_t amount = 0;  // minor units of `currency`, the invoice's
    std::string currency;
    std::string method;  // cash, bank_transfer, card, other
    std::string gateway = "manual";
    std::optional<std::string> gateway_ref;
    std::optional<nlohmann::json> gateway_response;
    std::string status = "pending";  // pending, succeeded, failed, refunded
    std::optional<Timestamp> succeeded_at;
    std::optional<Timestamp> refunded_at;
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json ToJson() const;
};

struct PaymentFilter {
    std::optional<std::string> invoice_id;
    std::optional<std::string> status;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// What settling or refunding a payment did to its invoice, for the caller's audit row.
struct InvoiceEffect {
    Invoice invoice;
    nlohmann::json changes;  // {"amount_paid": {from, to}, "status": {from, to}?}
};

class PaymentRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const Payment& payment);
    static std::optional<Payment> Find(const db::TenantScope& scope, const PaymentId& id);
    /// Find, with the row locked until the (read-write) transaction ends: what every change of a
    /// payment's status starts with, so concurrent refunds or webhooks move it once. Lock order:
    /// the payment, then its invoice.
    static std::optional<Payment> FindForUpdate(const db::TenantScope& scope, const PaymentId& id);
    /// The payment a gateway object belongs to ("stripe", "pi_…"): how provider webhooks find theirs.
    static std::optional<Payment> FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                   const std::string& gateway_ref);
    static void Update(const db::TenantScope& scope, const Payment& payment);
    /// Newest first, up to filter.limit + 1 rows.
    static std::vector<Payment> List(const db::TenantScope& scope, const PaymentFilter& filter);

    /// The payment's invoice, if it can take the payment: issued, same currency, amount at most
    /// what is due. Throws Conflict / ValidationError as Settle does.
    static Invoice CheckPayable(const db::TenantScope& scope, const Payment& payment);
    /// Applies a payment that has just succeeded (its status already `succeeded` and saved) to its
    /// invoice in the caller's transaction: amount_paid grows, the invoice is paid when nothing is
    /// due, the ledger gets "payment:<id>:succeeded" and the invoice's event is published. Throws
    /// Conflict when the invoice cannot take it (not issued) and ValidationError on `amount` when
    /// it is more than is due or in another currency.
    static InvoiceEffect Settle(const db::TenantScope& scope, const Payment& payment, const std::string& request_id);
    /// Undoes Settle for a refunded payment: amount_paid shrinks, a paid invoice is issued again,
    /// the ledger gets the reversal "payment:<id>:refund".
    static InvoiceEffect Unsettle(const db::TenantScope& scope, const Payment& payment, const std::string& request_id);
    /// Completes a pending (gateway) payment, or one whose earlier attempt failed: status succeeded, then the same
    /// settlement as a manual payment, and the payment.succeeded event. Conflict otherwise.
    static Payment MarkSucceeded(const db::TenantScope& scope, const PaymentId& id, const std::string& request_id);
    /// A pending gateway payment the payer's attempt failed for: status failed, the gateway's reason
    /// kept in gateway_response, the payment.failed event. Conflict if it is not pending.
    static Payment MarkFailed(const db::TenantScope& scope, const PaymentId& id, const nlohmann::json& reason,
                              const std::string& request_id);
    /// A succeeded payment the gateway refunded in full: status refunded, the invoice unsettled
    /// (ledger reversal), the payment.refunded event. Conflict if it has not succeeded.
    static Payment MarkRefunded(const db::TenantScope& scope, const PaymentId& id, const std::string& request_id);
};

}  // namespace kiln::billing
