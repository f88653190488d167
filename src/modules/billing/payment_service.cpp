#include "modules/billing/payment_service.hpp"

#include <optional>
#include <stdexcept>
#include <utility>

#include "core/error.hpp"
#include "modules/billing/invoice_repository.hpp"
#include "modules/billing/payment_repository.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::billing {

namespace {

/// Cash payments go to the till, everything else to the bank.
ledger::PostingPurpose MoneyAccount(const Payment& payment) {
    return payment.method == "cash" ? ledger::PostingPurpose::kCash : ledger::PostingPurpose::kBank;
}

/// The payment received (Dr money / Cr receivable), or `refunded` of it paid back (the reverse). A refund's key
/// names how much of the payment was refunded after it, so each refund posts once: "payment:<id>:refund" for one
/// refund of everything, "payment:<id>:refund:<refunded so far>" for parts.
void PostPayment(const db::TenantScope& scope, const Payment& payment, std::optional<int64_t> refunded) {
    const auto accounts = ledger::LedgerService::PostingAccountsOf(scope);
    const std::string& receivable = accounts.of(ledger::PostingPurpose::kReceivable);
    const std::string& money = accounts.of(MoneyAccount(payment));
    const bool refund = refunded.has_value();
    const int64_t amount = refund ? *refunded : payment.amount.minor_units;
    std::string key = "payment:" + payment.id.str() + (refund ? ":refund" : ":succeeded");
    if (refund && !(payment.refunded_amount == payment.amount.minor_units && amount == payment.amount.minor_units))
        key += ":" + std::to_string(payment.refunded_amount);
    ledger::JournalEntryDraft draft{
        .posted_at = Now(),
        .currency = payment.amount.currency,
        .memo = refund ? "Refund of payment " + payment.id.str() : "Payment " + payment.id.str(),
        .source_type = refund ? "refund" : "payment",
        .source_id = payment.id.str(),
        .posting_key = std::move(key),
        .lines = {}};
    if (refund) {
        draft.lines.push_back({.account_code = receivable, .debit = amount, .credit = 0, .memo = "Receivable"});
        draft.lines.push_back({.account_code = money, .debit = 0, .credit = amount, .memo = "Refunded"});
    } else {
        draft.lines.push_back({.account_code = money, .debit = amount, .credit = 0, .memo = "Received"});
        draft.lines.push_back({.account_code = receivable, .debit = 0, .credit = amount, .memo = "Receivable"});
    }
    ledger::LedgerService::Post(scope, draft);
}

/// invoice.paid when the payment paid it off, invoice.updated otherwise.
void PublishInvoiceChange(const db::TenantScope& scope, const InvoiceEffect& effect, const std::string& type,
                          const std::string& request_id) {
    events::EventOutbox::Record(scope, type, "invoice:" + effect.invoice.id.str(),
                                {{"invoice", effect.invoice.ToJson()}, {"changes", effect.changes}}, request_id);
}

Payment LockedPayment(const db::TenantScope& scope, const PaymentId& id) {
    auto payment = PaymentRepository::FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    return std::move(*payment);
}

}  // namespace

std::optional<Payment> PaymentService::Find(const db::TenantScope& scope, const PaymentId& id) {
    return PaymentRepository::Find(scope, id);
}

std::vector<Payment> PaymentService::List(const db::TenantScope& scope, const PaymentFilter& filter) {
    return PaymentRepository::List(scope, filter);
}

std::optional<Payment> PaymentService::FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                        const std::string& gateway_ref) {
    return PaymentRepository::FindByGatewayRef(scope, gateway, gateway_ref);
}

Payment PaymentService::AttachGatewayObject(const db::TenantScope& scope, const PaymentId& id,
                                            const std::string& gateway, const std::string& gateway_ref,
                                            const nlohmann::json& response) {
    Payment payment = LockedPayment(scope, id);
    if (payment.status != PaymentStatus::kPending)
        throw Conflict("The payment became " + kPaymentStatuses.String(payment.status) +
                       " while the gateway was called.");
    payment.gateway = gateway;
    payment.gateway_ref = gateway_ref;
    payment.gateway_response = response;
    payment.updated_at = Now();
    PaymentRepository::Update(scope, payment);
    return payment;
}

Payment PaymentService::NoteGatewayResponse(const db::TenantScope& scope, const PaymentId& id,
                                            const nlohmann::json& fields) {
    Payment payment = LockedPayment(scope, id);
    nlohmann::json response = payment.gateway_response.value_or(nlohmann::json::object());
    response.update(fields);
    payment.gateway_response = std::move(response);
    payment.updated_at = Now();
    PaymentRepository::Update(scope, payment);
    return payment;
}

std::optional<InvoiceEffect> PaymentService::Create(const db::TenantScope& scope, const Payment& payment,
                                                    const std::string& request_id) {
    if (payment.status == PaymentStatus::kPending) {
        CheckPayable(scope, payment);
        PaymentRepository::Insert(scope, payment);
        return std::nullopt;
    }
    if (payment.status != PaymentStatus::kSucceeded)
        throw std::logic_error("a new payment is pending or succeeded, not " + kPaymentStatuses.String(payment.status));
    // Settling checks the invoice, the currency and the amount before anything is written.
    auto effect = Settle(scope, payment, request_id);
    PaymentRepository::Insert(scope, payment);
    events::EventOutbox::Record(scope, "payment.succeeded", "payment:" + payment.id.str(),
                                {{"payment", payment.ToJson()}}, request_id);
    return effect;
}

Invoice PaymentService::CheckPayable(const db::TenantScope& scope, const Payment& payment) {
    // Locked: two payments checked against the same amount due must not both fit in it.
    auto invoice = InvoiceRepository::FindForUpdate(scope, payment.invoice_id);
    if (!invoice) throw ValidationError("invoice_id", "does not name an invoice");
    if (!invoice->is_open())
        throw Conflict("Only issued invoices take payments; this one is " + kInvoiceStatuses.String(invoice->status) +
                       ".");
    if (payment.amount.currency != invoice->currency)
        throw ValidationError("currency", "must be the invoice's currency, " + invoice->currency);
    const int64_t due = invoice->amount_due().minor_units;
    if (payment.amount.minor_units < 1 || payment.amount.minor_units > due)
        throw ValidationError("amount", "must be between 1 and the amount due, " + std::to_string(due));
    return *invoice;
}

InvoiceEffect PaymentService::Settle(const db::TenantScope& scope, const Payment& payment,
                                     const std::string& request_id) {
    InvoiceEffect effect{.invoice = CheckPayable(scope, payment), .changes = nlohmann::json::object()};
    Invoice& inv = effect.invoice;
    const Money paid = inv.amount_paid + payment.amount;
    effect.changes["amount_paid"] = {{"from", inv.amount_paid.minor_units}, {"to", paid.minor_units}};
    inv.amount_paid = paid;
    inv.MoveToSettledStatus(effect.changes);
    inv.updated_at = Now();
    InvoiceRepository::Update(scope, inv, false);
    PostPayment(scope, payment, std::nullopt);
    PublishInvoiceChange(scope, effect, inv.status == InvoiceStatus::kPaid ? "invoice.paid" : "invoice.updated",
                         request_id);
    return effect;
}

InvoiceEffect PaymentService::Unsettle(const db::TenantScope& scope, const Payment& payment, const Money& amount,
                                       const std::string& request_id) {
    auto invoice = InvoiceRepository::FindForUpdate(scope, payment.invoice_id);
    if (!invoice) throw NotFound("The payment's invoice no longer exists.");
    InvoiceEffect effect{.invoice = *invoice, .changes = nlohmann::json::object()};
    Invoice& inv = effect.invoice;
    const Money paid = inv.amount_paid - amount;
    effect.changes["amount_paid"] = {{"from", inv.amount_paid.minor_units}, {"to", paid.minor_units}};
    inv.amount_paid = paid;
    inv.MoveToSettledStatus(effect.changes);
    inv.updated_at = Now();
    InvoiceRepository::Update(scope, inv, false);
    PostPayment(scope, payment, amount.minor_units);
    PublishInvoiceChange(scope, effect, "invoice.updated", request_id);
    return effect;
}

Payment PaymentService::MarkSucceeded(const db::TenantScope& scope, const PaymentId& id,
                                      const std::string& request_id) {
    auto payment = PaymentRepository::FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    // A failed gateway attempt is not final: the payer may retry, or the bank authorise late.
    if (payment->status != PaymentStatus::kPending && payment->status != PaymentStatus::kFailed)
        throw Conflict("Only pending or failed payments can succeed; this one is " +
                       kPaymentStatuses.String(payment->status) + ".");
    payment->status = PaymentStatus::kSucceeded;
    payment->succeeded_at = payment->updated_at = Now();
    PaymentRepository::Update(scope, *payment);
    Settle(scope, *payment, request_id);
    events::EventOutbox::Record(scope, "payment.succeeded", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}}, request_id);
    return *payment;
}

Payment PaymentService::MarkFailed(const db::TenantScope& scope, const PaymentId& id, const nlohmann::json& reason,
                                   const std::string& request_id) {
    auto payment = PaymentRepository::FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    if (payment->status != PaymentStatus::kPending)
        throw Conflict("Only pending payments can fail; this one is " + kPaymentStatuses.String(payment->status) + ".");
    payment->status = PaymentStatus::kFailed;
    payment->updated_at = Now();
    nlohmann::json response = payment->gateway_response.value_or(nlohmann::json::object());
    response["failure"] = reason;
    payment->gateway_response = std::move(response);
    PaymentRepository::Update(scope, *payment);
    events::EventOutbox::Record(scope, "payment.failed", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}}, request_id);
    return *payment;
}

Payment PaymentService::MarkRefunded(const db::TenantScope& scope, const PaymentId& id, const std::string& request_id) {
    return Refunded(scope, id, std::nullopt, std::nullopt, request_id).payment;
}

PaymentService::Refund PaymentService::Refunded(const db::TenantScope& scope, const PaymentId& id,
                                                std::optional<int64_t> amount,
                                                const std::optional<nlohmann::json>& gateway_answer,
                                                const std::string& request_id) {
    auto payment = PaymentRepository::FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    if (payment->status != PaymentStatus::kSucceeded)
        throw Conflict("Only succeeded payments can be refunded; this one is " +
                       kPaymentStatuses.String(payment->status) + ".");
    const int64_t remaining = payment->refundable();
    const int64_t refund = amount.value_or(remaining);
    if (refund < 1 || refund > remaining)
        throw ValidationError("amount", "must be between 1 and what remains to refund, " + std::to_string(remaining));
    nlohmann::json changes = {
        {"refunded_amount", {{"from", payment->refunded_amount}, {"to", payment->refunded_amount + refund}}}};
    if (gateway_answer) {
        nlohmann::json response = payment->gateway_response.value_or(nlohmann::json::object());
        response["refund"] = *gateway_answer;
        payment->gateway_response = std::move(response);
    }
    payment->refunded_amount += refund;
    payment->refunded_at = payment->updated_at = Now();
    if (payment->refundable() == 0) {
        changes["status"] = {{"from", "succeeded"}, {"to", "refunded"}};
        payment->status = PaymentStatus::kRefunded;
    }
    PaymentRepository::Update(scope, *payment);
    InvoiceEffect invoice = Unsettle(scope, *payment, {refund, payment->amount.currency}, request_id);
    events::EventOutbox::Record(scope, "payment.refunded", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}, {"changes", changes}, {"amount", refund}}, request_id);
    return {.payment = std::move(*payment), .invoice = std::move(invoice), .changes = changes};
}

}  // namespace kiln::billing
