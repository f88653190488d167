#include "modules/billing/payment_repository.hpp"

#include "core/error.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/ledger/ledger_posting.hpp"

namespace kiln::billing {

namespace {

constexpr std::string_view kColumns = R"sql(
    id, invoice_id, amount, currency, method, gateway, gateway_ref, gateway_response, status, succeeded_at,
    refunded_at, created_at, updated_at)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO payments (tenant_id, id, invoice_id, amount, currency, method, gateway, gateway_ref, gateway_response,
                          status, succeeded_at, refunded_at, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE payments SET invoice_id = $3, amount = $4, currency = $5, method = $6, gateway = $7, gateway_ref = $8,
                        gateway_response = $9, status = $10, succeeded_at = $11, refunded_at = $12, updated_at = $13
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kListWhere = R"sql(
    WHERE tenant_id = $1 AND ($2 IS NULL OR invoice_id = $2) AND ($3 IS NULL OR status = $3)
      AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListWherePostgres = R"sql(
    WHERE tenant_id = $1 AND ($2::uuid IS NULL OR invoice_id = $2) AND ($3::text IS NULL OR status = $3)
      AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";

Payment From(const db::Row& row) {
    Payment p{.id = PaymentId(row.Get<std::string>("id")),
              .invoice_id = row.Get<std::string>("invoice_id"),
              .amount = row.Get<int64_t>("amount"),
              .currency = row.Get<std::string>("currency"),
              .method = row.Get<std::string>("method"),
              .gateway = row.Get<std::string>("gateway"),
              .gateway_ref = row.GetOptional<std::string>("gateway_ref"),
              .gateway_response = std::nullopt,
              .status = row.Get<std::string>("status"),
              .succeeded_at = row.GetOptional<Timestamp>("succeeded_at"),
              .refunded_at = row.GetOptional<Timestamp>("refunded_at"),
              .created_at = row.Get<Timestamp>("created_at"),
              .updated_at = row.Get<Timestamp>("updated_at")};
    if (const auto text = row.GetOptional<std::string>("gateway_response"))
        p.gateway_response = nlohmann::json::parse(*text);
    return p;
}

db::Params Columns(const db::TenantScope& scope, const Payment& p, Timestamp at) {
    std::optional<std::string> response;
    if (p.gateway_response) response = p.gateway_response->dump();
    return {scope.tenant(), p.id,     p.invoice_id, p.amount,       p.currency,    p.method, p.gateway,
            p.gateway_ref,  response, p.status,     p.succeeded_at, p.refunded_at, at};
}

nlohmann::json OptionalJson(const std::optional<Timestamp>& v) {
    return v ? nlohmann::json(FormatTimestamp(*v)) : nlohmann::json(nullptr);
}

/// Cash payments go to the till, everything else to the bank.
std::string MoneyAccount(const Payment& payment) {
    return std::string(payment.method == "cash" ? ledger::accounts::kCash : ledger::accounts::kBank);
}

void PostPayment(const db::TenantScope& scope, const Payment& payment, bool refund) {
    const std::string receivable(ledger::accounts::kAccountsReceivable);
    const std::string money = MoneyAccount(payment);
    ledger::JournalEntryDraft draft{
        .posted_at = Now(),
        .currency = payment.currency,
        .memo = refund ? "Refund of payment " + payment.id.str() : "Payment " + payment.id.str(),
        .source_type = refund ? "refund" : "payment",
        .source_id = payment.id.str(),
        .posting_key = "payment:" + payment.id.str() + (refund ? ":refund" : ":succeeded"),
        .lines = {}};
    if (refund) {
        draft.lines.push_back({.account_code = receivable, .debit = payment.amount, .credit = 0, .memo = "Receivable"});
        draft.lines.push_back({.account_code = money, .debit = 0, .credit = payment.amount, .memo = "Refunded"});
    } else {
        draft.lines.push_back({.account_code = money, .debit = payment.amount, .credit = 0, .memo = "Received"});
        draft.lines.push_back({.account_code = receivable, .debit = 0, .credit = payment.amount, .memo = "Receivable"});
    }
    ledger::Post(scope, draft);
}

/// invoice.paid when the payment paid it off, invoice.updated otherwise.
void PublishInvoiceChange(const db::TenantScope& scope, const InvoiceEffect& effect, const std::string& type,
                          const std::string& request_id) {
    events::EventOutbox::Record(scope, type, "invoice:" + effect.invoice.id.str(),
                                {{"invoice", effect.invoice.ToJson()}, {"changes", effect.changes}}, request_id);
}

}  // namespace

nlohmann::json Payment::ToJson() const {
    return {{"id", id.str()},
            {"invoice_id", invoice_id},
            {"amount", amount},
            {"currency", currency},
            {"method", method},
            {"gateway", gateway},
            {"gateway_ref", gateway_ref ? nlohmann::json(*gateway_ref) : nlohmann::json(nullptr)},
            {"gateway_response", gateway_response ? *gateway_response : nlohmann::json(nullptr)},
            {"status", status},
            {"succeeded_at", OptionalJson(succeeded_at)},
            {"refunded_at", OptionalJson(refunded_at)},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

void PaymentRepository::Insert(const db::TenantScope& scope, const Payment& payment) {
    scope.Exec(kInsert, Columns(scope, payment, payment.created_at));
}

std::optional<Payment> PaymentRepository::Find(const db::TenantScope& scope, const PaymentId& id) {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM payments WHERE tenant_id = $1 AND id = $2";
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::optional<Payment> PaymentRepository::FindForUpdate(const db::TenantScope& scope, const PaymentId& id) {
    // SQLite writers are serialised by BEGIN IMMEDIATE; PostgreSQL at READ COMMITTED needs the row lock.
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM payments WHERE tenant_id = $1 AND id = $2 FOR UPDATE";
    if (scope.tx().dialect() != db::Dialect::kPostgres) return Find(scope, id);
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void PaymentRepository::Update(const db::TenantScope& scope, const Payment& payment) {
    scope.Exec(kUpdate, Columns(scope, payment, payment.updated_at));
}

std::vector<Payment> PaymentRepository::List(const db::TenantScope& scope, const PaymentFilter& filter) {
    const auto where = scope.tx().dialect() == db::Dialect::kPostgres ? kListWherePostgres : kListWhere;
    const std::string sql = "SELECT " + std::string(kColumns) + " FROM payments " + std::string(where);
    std::vector<Payment> payments;
    for (const auto& row :
         scope.Exec(sql, {scope.tenant(), filter.invoice_id, filter.status, filter.before_id, filter.limit + 1}))
        payments.push_back(From(row));
    return payments;
}

Invoice PaymentRepository::CheckPayable(const db::TenantScope& scope, const Payment& payment) {
    // Locked: two payments checked against the same amount due must not both fit in it.
    auto invoice = InvoiceRepository::FindForUpdate(scope, InvoiceId(payment.invoice_id));
    if (!invoice) throw ValidationError("invoice_id", "does not name an invoice");
    if (invoice->status != "issued")
        throw Conflict("Only issued invoices take payments; this one is " + invoice->status + ".");
    if (payment.currency != invoice->currency)
        throw ValidationError("currency", "must be the invoice's currency, " + invoice->currency);
    if (payment.amount < 1 || payment.amount > invoice->amount_due())
        throw ValidationError("amount",
                              "must be between 1 and the amount due, " + std::to_string(invoice->amount_due()));
    return *invoice;
}

InvoiceEffect PaymentRepository::Settle(const db::TenantScope& scope, const Payment& payment,
                                        const std::string& request_id) {
    InvoiceEffect effect{.invoice = CheckPayable(scope, payment), .changes = nlohmann::json::object()};
    Invoice& inv = effect.invoice;
    const int64_t paid = inv.amount_paid + payment.amount;
    effect.changes["amount_paid"] = {{"from", inv.amount_paid}, {"to", paid}};
    inv.amount_paid = paid;
    if (inv.amount_due() == 0) {
        effect.changes["status"] = {{"from", inv.status}, {"to", "paid"}};
        inv.status = "paid";
    }
    inv.updated_at = Now();
    InvoiceRepository::Update(scope, inv, false);
    PostPayment(scope, payment, false);
    PublishInvoiceChange(scope, effect, inv.status == "paid" ? "invoice.paid" : "invoice.updated", request_id);
    return effect;
}

InvoiceEffect PaymentRepository::Unsettle(const db::TenantScope& scope, const Payment& payment,
                                          const std::string& request_id) {
    auto invoice = InvoiceRepository::FindForUpdate(scope, InvoiceId(payment.invoice_id));
    if (!invoice) throw NotFound("The payment's invoice no longer exists.");
    InvoiceEffect effect{.invoice = *invoice, .changes = nlohmann::json::object()};
    Invoice& inv = effect.invoice;
    const int64_t paid = inv.amount_paid - payment.amount;
    effect.changes["amount_paid"] = {{"from", inv.amount_paid}, {"to", paid}};
    inv.amount_paid = paid;
    if (inv.status == "paid") {
        effect.changes["status"] = {{"from", inv.status}, {"to", "issued"}};
        inv.status = "issued";
    }
    inv.updated_at = Now();
    InvoiceRepository::Update(scope, inv, false);
    PostPayment(scope, payment, true);
    PublishInvoiceChange(scope, effect, "invoice.updated", request_id);
    return effect;
}

Payment PaymentRepository::MarkSucceeded(const db::TenantScope& scope, const PaymentId& id,
                                         const std::string& request_id) {
    auto payment = FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    // A failed gateway attempt is not final: the payer may retry, or the bank authorise late.
    if (payment->status != "pending" && payment->status != "failed")
        throw Conflict("Only pending or failed payments can succeed; this one is " + payment->status + ".");
    payment->status = "succeeded";
    payment->succeeded_at = payment->updated_at = Now();
    Update(scope, *payment);
    Settle(scope, *payment, request_id);
    events::EventOutbox::Record(scope, "payment.succeeded", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}}, request_id);
    return *payment;
}

std::optional<Payment> PaymentRepository::FindByGatewayRef(const db::TenantScope& scope, const std::string& gateway,
                                                           const std::string& gateway_ref) {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM payments WHERE tenant_id = $1 AND gateway = $2 AND gateway_ref = $3 LIMIT 1";
    const auto rows = scope.Exec(sql, {scope.tenant(), gateway, gateway_ref});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

Payment PaymentRepository::MarkFailed(const db::TenantScope& scope, const PaymentId& id, const nlohmann::json& reason,
                                      const std::string& request_id) {
    auto payment = FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    if (payment->status != "pending")
        throw Conflict("Only pending payments can fail; this one is " + payment->status + ".");
    payment->status = "failed";
    payment->updated_at = Now();
    nlohmann::json response = payment->gateway_response.value_or(nlohmann::json::object());
    response["failure"] = reason;
    payment->gateway_response = std::move(response);
    Update(scope, *payment);
    events::EventOutbox::Record(scope, "payment.failed", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}}, request_id);
    return *payment;
}

Payment PaymentRepository::MarkRefunded(const db::TenantScope& scope, const PaymentId& id,
                                        const std::string& request_id) {
    auto payment = FindForUpdate(scope, id);
    if (!payment) throw NotFound("No such payment.");
    if (payment->status != "succeeded")
        throw Conflict("Only succeeded payments can be refunded; this one is " + payment->status + ".");
    const nlohmann::json changes = {{"status", {{"from", payment->status}, {"to", "refunded"}}}};
    payment->status = "refunded";
    payment->refunded_at = payment->updated_at = Now();
    Update(scope, *payment);
    Unsettle(scope, *payment, request_id);
    events::EventOutbox::Record(scope, "payment.refunded", "payment:" + payment->id.str(),
                                {{"payment", payment->ToJson()}, {"changes", changes}}, request_id);
    return *payment;
}

}  // namespace kiln::billing
