#include "modules/ledger/ledger_posting.hpp"

#include <set>

#include "core/error.hpp"
#include "core/money.hpp"
#include "core/uuid.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/events/event_types.hpp"
#include "modules/ledger/ledger_repository.hpp"

namespace kiln::ledger {

namespace {

constexpr std::string_view kSelectAccounts =
    "SELECT code, name, type FROM ledger_accounts WHERE tenant_id = $1 ORDER BY code";
constexpr std::string_view kInsertAccount = R"sql(
    INSERT INTO ledger_accounts (tenant_id, code, name, type) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, code) DO NOTHING)sql";
constexpr std::string_view kSelectClosed =
    "SELECT 1 FROM accounting_periods WHERE tenant_id = $1 AND month = $2 AND closed_at IS NOT NULL";
constexpr std::string_view kSelectPostingKey =
    "SELECT entry_id FROM journal_posting_keys WHERE tenant_id = $1 AND posting_key = $2";
constexpr std::string_view kInsertPostingKey =
    "INSERT INTO journal_posting_keys (tenant_id, posting_key, entry_id) VALUES ($1, $2, $3)";
constexpr std::string_view kInsertEntry = R"sql(
    INSERT INTO journal_entries (tenant_id, id, number, posted_at, currency, memo, source_type, source_id, posting_key,
                                 total_debit, total_credit, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql";
constexpr std::string_view kInsertLine = R"sql(
    INSERT INTO journal_lines (tenant_id, entry_id, line_no, account_code, debit, credit, memo)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";
constexpr std::string_view kSelectEntry = R"sql(
    SELECT id, number, posted_at, currency, memo, source_type, source_id, posting_key, total_debit, total_credit,
           created_at
    FROM journal_entries WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kSelectLines = R"sql(
    SELECT line_no, account_code, debit, credit, memo FROM journal_lines
    WHERE tenant_id = $1 AND entry_id = $2 ORDER BY line_no)sql";

}  // namespace

const std::vector<Account>& DefaultChart() {
    static const std::vector<Account> chart = {
        {std::string(accounts::kCash), "Cash", "asset"},
        {std::string(accounts::kBank), "Bank", "asset"},
        {std::string(accounts::kAccountsReceivable), "Accounts receivable", "asset"},
        {std::string(accounts::kTaxPayable), "Tax payable", "liability"},
        {std::string(accounts::kRevenue), "Revenue", "revenue"},
        {std::string(accounts::kRefunds), "Refunds", "revenue"},
        {std::string(accounts::kGatewayFees), "Gateway fees", "expense"},
    };
    return chart;
}

std::vector<Account> ListAccounts(const db::TenantScope& scope) {
    std::vector<Account> out;
    for (const auto& row : scope.Exec(kSelectAccounts, {scope.tenant()}))
        out.push_back({row.Get<std::string>("code"), row.Get<std::string>("name"), row.Get<std::string>("type")});
    return out.empty() ? DefaultChart() : out;
}

void EnsureChart(const db::TenantScope& scope) {
    if (!scope.Exec(kSelectAccounts, {scope.tenant()}).empty()) return;
    for (const auto& account : DefaultChart())
        scope.Exec(kInsertAccount, {scope.tenant(), account.code, account.name, account.type});
}

std::string MonthOf(Timestamp t) {
    return FormatTimestamp(t).substr(0, 7);
}

bool IsMonthClosed(const db::TenantScope& scope, const std::string& month) {
    return !scope.Exec(kSelectClosed, {scope.tenant(), month}).empty();
}

void DeclareLedgerEvents(events::EventTypeRegistry& registry) {
    const nlohmann::json entry = {
        {"type", "object"}, {"required", {"journal_entry"}}, {"properties", {{"journal_entry", {{"type", "object"}}}}}};
    const nlohmann::json period = {
        {"type", "object"},
        {"required", {"accounting_period"}},
        {"properties",
         {{"accounting_period",
           {{"type", "object"},
            {"required", {"month", "status"}},
            {"properties", {{"month", {{"type", "string"}}}, {"status", {{"type", "string"}}}}}}}}}};
    registry.Declare(
        {"journal_entry.posted", "A balanced journal entry was posted; data holds it with its lines", entry});
    registry.Declare({"accounting_period.closed", "A month was closed: nothing more can be posted into it", period});
    registry.Declare({"accounting_period.reopened", "A closed month was opened again", period});
}

std::optional<nlohmann::json> FindEntry(const db::TenantScope& scope, const std::string& id) {
    const auto rows = scope.Exec(kSelectEntry, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    nlohmann::json out = {{"id", row.Get<std::string>("id")},
                          {"number", row.Get<std::string>("number")},
                          {"posted_at", FormatTimestamp(row.Get<Timestamp>("posted_at"))},
                          {"currency", row.Get<std::string>("currency")},
                          {"memo", row.Get<std::string>("memo")},
                          {"source_type", row.Get<std::string>("source_type")},
                          {"source_id", row.Get<std::string>("source_id")},
                          {"posting_key", row.Get<std::string>("posting_key")},
                          {"total_debit", row.Get<int64_t>("total_debit")},
                          {"total_credit", row.Get<int64_t>("total_credit")},
                          {"created_at", FormatTimestamp(row.Get<Timestamp>("created_at"))},
                          {"lines", nlohmann::json::array()}};
    for (const auto& line : scope.Exec(kSelectLines, {scope.tenant(), id}))
        out["lines"].push_back({{"line_no", line.Get<int64_t>("line_no")},
                                {"account_code", line.Get<std::string>("account_code")},
                                {"debit", line.Get<int64_t>("debit")},
                                {"credit", line.Get<int64_t>("credit")},
                                {"memo", line.Get<std::string>("memo")}});
    return out;
}

PostedEntry PostWithRequest(const db::TenantScope& scope, const JournalEntryDraft& draft,
                            const std::string& request_id) {
    if (draft.posting_key.empty()) throw ValidationError("posting_key", "is required");
    // Idempotent: a key posted before answers with its entry, whatever else has changed since
    // (even a month closed after the first posting).
    const auto existing = scope.Exec(kSelectPostingKey, {scope.tenant(), draft.posting_key});
    if (!existing.empty()) {
        const std::string id = existing.front().Get<std::string>(0);
        const auto entry = FindEntry(scope, id);
        if (!entry) throw std::logic_error("posting key without its journal entry");
        return {id, (*entry)["number"].get<std::string>()};
    }

    std::vector<FieldError> errors;
    const bool currency_ok = IsCurrency(draft.currency);
    if (!currency_ok) errors.push_back({"currency", "must be an ISO 4217 code Kiln knows"});
    if (draft.source_type.empty()) errors.push_back({"source_type", "is required"});
    if (draft.lines.size() < 2) errors.push_back({"lines", "needs at least two lines"});
    EnsureChart(scope);
    std::set<std::string> known;
    for (const auto& account : ListAccounts(scope)) known.insert(account.code);

    Money debits{0, draft.currency};
    Money credits{0, draft.currency};
    bool overflow = false;
    for (size_t i = 0; i < draft.lines.size(); ++i) {
        const auto& line = draft.lines[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        if (!known.contains(line.account_code)) errors.push_back({where + ".account_code", "does not name an account"});
        if (line.debit < 0 || line.credit < 0) {
            errors.push_back({where, "amounts cannot be negative"});
            continue;
        }
        if ((line.debit > 0) == (line.credit > 0)) {
            errors.push_back({where, "needs exactly one positive side: a debit or a credit"});
            continue;
        }
        try {
            debits = debits + Money{line.debit, draft.currency};
            credits = credits + Money{line.credit, draft.currency};
        } catch (const ValidationError&) {
            if (!overflow) errors.push_back({"lines", "the sum is beyond the range of amounts Kiln can hold"});
            overflow = true;
        }
    }
    if (errors.empty() && debits != credits)
        errors.push_back({"lines", "debits (" + std::to_string(debits.minor_units) + ") must equal credits (" +
                                       std::to_string(credits.minor_units) + ")"});
    if (!errors.empty()) throw ValidationError(std::move(errors));

    const std::string month = MonthOf(draft.posted_at);
    if (IsMonthClosed(scope, month)) throw Conflict("The accounting period " + month + " is closed.");

    // SQLite cannot defer a trigger to commit, so the balance of the lines is verified here, above,
    // before anything is written; PostgreSQL checks it again at commit (migrations/postgres/0007).
    const std::string id = NewUuidV7();
    const std::string number = common::NextDocumentNumber(scope, "JE");
    scope.Exec(kInsertPostingKey, {scope.tenant(), draft.posting_key, id});
    scope.Exec(kInsertEntry,
               {scope.tenant(), id, number, draft.posted_at, draft.currency, draft.memo, draft.source_type,
                draft.source_id, draft.posting_key, debits.minor_units, credits.minor_units, Now()});
    int64_t line_no = 0;
    for (const auto& line : draft.lines)
        scope.Exec(kInsertLine, {scope.tenant(), id, ++line_no, line.account_code, line.debit, line.credit, line.memo});
    const auto shown = FindEntry(scope, id);
    events::EventOutbox::Record(scope, "journal_entry.posted", "journal_entry:" + id, {{"journal_entry", *shown}},
                                request_id);
    return {id, number};
}

PostedEntry Post(const db::TenantScope& scope, const JournalEntryDraft& draft) {
    return PostWithRequest(scope, draft, "");
}

}  // namespace kiln::ledger
