#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/billing/invoice.hpp"
#include "modules/billing/payment.hpp"
#include "modules/billing/payment_repository.hpp"

namespace kiln::billing {

/// What settling or refunding a payment did to its invoice, for the caller's audit row.
struct InvoiceEffect {
    Invoice invoice;
    nlohmann::json changes;  // {"amount_paid": {from, to}, "status": {from, to}?}
};

/// The rules of payments, in the caller's transaction: which invoice may take one, what settling and refunding do
/// to the invoice and the ledger, and how a gateway payment moves. The routes, inbound webhooks and gateway flows
/// all come here.
class PaymentService final {
  public:
    static std::optional<Payment> Find(const db::TenantScope& scope, const PaymentId& id);
    static std::vector<Payment> List(const db::TenantScope& scope, const PaymentFilter& filter);
    /// The payment a gateway object belongs to ("stripe", "pi_…"): how provider webhooks find theirs.
    static std::optional<Payment> FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                   const std::string& gateway_ref);
    /// Records the gateway object just created (or fetched) for a pending payment, locked: Conflict when the
    /// payment stopped being pending while the gateway was called, NotFound when it is gone.
    static Payment AttachGatewayObject(const db::TenantScope& scope, const PaymentId& id, const std::string& gateway,
                                       const std::string& gateway_ref, const nlohmann::json& response);
    /// Merges `fields` into the payment's gateway_response, whatever its status: what a later call needs from a
    /// gateway event (the Razorpay payment id a refund names) or why an event settled nothing.
    static Payment NoteGatewayResponse(const db::TenantScope& scope, const PaymentId& id, const nlohmann::json& fields);

    /// The payment's invoice, if it can take the payment: issued, same currency, amount at most
    /// what is due. Throws Conflict / ValidationError as Settle does.
    static Invoice CheckPayable(const db::TenantScope& scope, const Payment& payment);
    /// Records a new manual or pending payment (`payment.status` succeeded or pending), checked against its invoice
    /// before anything is written: a succeeded one settles the invoice at once (Settle) and publishes
    /// payment.succeeded, and its invoice effect is returned; a pending one waits for a gateway.
    static std::optional<InvoiceEffect> Create(const db::TenantScope& scope, const Payment& payment,
                                               const std::string& request_id);
    /// Applies a payment that has just succeeded (its status already `succeeded` and saved) to its
    /// invoice in the caller's transaction: amount_paid grows, the invoice is paid when nothing is
    /// due, the ledger gets "payment:<id>:succeeded" and the invoice's event is published. Throws
    /// Conflict when the invoice cannot take it (not issued) and ValidationError on `amount` when
    /// it is more than is due or in another currency.
    static InvoiceEffect Settle(const db::TenantScope& scope, const Payment& payment, const std::string& request_id);
    /// Undoes Settle for `amount` of a payment refunded (its refunded_amount already counts it): amount_paid shrinks,
    /// the invoice's status follows (paid → partially_paid or issued), the ledger gets the reversal.
    static InvoiceEffect Unsettle(const db::TenantScope& scope, const Payment& payment, const Money& amount,
                                  const std::string& request_id);
    /// Completes a pending (gateway) payment, or one whose earlier attempt failed: status succeeded, then the same
    /// settlement as a manual payment, and the payment.succeeded event. Conflict otherwise.
    static Payment MarkSucceeded(const db::TenantScope& scope, const PaymentId& id, const std::string& request_id);
    /// A pending gateway payment the payer's attempt failed for: status failed, the gateway's reason
    /// kept in gateway_response, the payment.failed event. Conflict if it is not pending.
    static Payment MarkFailed(const db::TenantScope& scope, const PaymentId& id, const nlohmann::json& reason,
                              const std::string& request_id);
    /// A succeeded payment the gateway refunded in full: what remains of it refunded (status refunded), the invoice
    /// unsettled (ledger reversal), the payment.refunded event. Conflict if it has not succeeded.
    static Payment MarkRefunded(const db::TenantScope& scope, const PaymentId& id, const std::string& request_id);

    struct Refund {
        Payment payment;
        InvoiceEffect invoice;
        nlohmann::json changes;  // the payment's own: {"status": {from, to}}
    };
    /// A refund Kiln asked for, of `amount` (what remains when nothing): ValidationError on `amount` beyond what
    /// remains; the payment is refunded once nothing remains. `gateway_answer` is what the gateway said when it
    /// refunded (kept as gateway_response.refund), nothing for a manual payment. The caller has called the gateway
    /// with no write transaction open; the payment is locked here, so two racing refunds cannot both take the same
    /// remainder.
    static Refund Refunded(const db::TenantScope& scope, const PaymentId& id, std::optional<int64_t> amount,
                           const std::optional<nlohmann::json>& gateway_answer, const std::string& request_id);
};

}  // namespace kiln::billing
