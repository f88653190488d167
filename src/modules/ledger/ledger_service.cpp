#include "modules/ledger/ledger_service.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/events/event_outbox.hpp"

namespace kiln::ledger {

namespace {

/// Sums of stored lines: every entry was checked when posted, so an overflow here is a corrupt ledger.
Money Checked(const Money& a, const Money& b, bool add) {
    try {
        return add ? a + b : a - b;
    } catch (const ValidationError&) {
        throw std::overflow_error("ledger sums beyond int64");
    }
}

void AddLine(Balance& balance, const Money& debit, const Money& credit) {
    balance.debit = Checked(balance.debit, debit, true);
    balance.credit = Checked(balance.credit, credit, true);
}

void EnsureChart(const db::TenantScope& scope) {
    if (!LedgerRepository::Accounts(scope).empty()) return;
    for (const auto& account : DefaultChart()) LedgerRepository::InsertAccount(scope, account);
}

/// Every problem of a draft at once; nothing when it can be posted.
std::vector<FieldError> DraftErrors(const db::TenantScope& scope, const JournalEntryDraft& draft, Money& debits,
                                    Money& credits) {
    std::vector<FieldError> errors;
    if (!IsCurrency(draft.currency)) errors.push_back({"currency", "must be an ISO 4217 code Kiln knows"});
    if (draft.source_type.empty()) errors.push_back({"source_type", "is required"});
    if (draft.lines.size() < 2) errors.push_back({"lines", "needs at least two lines"});
    std::set<std::string> known;
    for (const auto& account : LedgerService::Accounts(scope)) known.insert(account.code);
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
    return errors;
}

}  // namespace

Money Balance::balance() const {
    return Checked(debit, credit, false);
}

nlohmann::json Balance::ToJson() const {
    nlohmann::json out = {{"currency", debit.currency},
                          {"debit", debit.minor_units},
                          {"credit", credit.minor_units},
                          {"balance", balance().minor_units}};
    if (!account_code.empty()) {
        out["account_code"] = account_code;
        out["name"] = name;
    }
    return out;
}

nlohmann::json TrialBalance::ToJson() const {
    nlohmann::json accounts_out = nlohmann::json::array();
    for (const auto& balance : accounts) accounts_out.push_back(balance.ToJson());
    nlohmann::json totals_out = nlohmann::json::array();
    for (const auto& total : totals) totals_out.push_back(total.ToJson());
    return {{"as_of", FormatTimestamp(until).substr(0, 10)}, {"accounts", accounts_out}, {"totals", totals_out}};
}

nlohmann::json AccountStatement::ToJson() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [posted, balance] : lines)
        out.push_back({{"entry_id", posted.entry_id.str()},
                       {"number", posted.number},
                       {"posted_at", FormatTimestamp(posted.posted_at)},
                       {"currency", posted.currency},
                       {"memo", posted.entry_memo},
                       {"line_memo", posted.memo},
                       {"debit", posted.debit},
                       {"credit", posted.credit},
                       {"balance", balance}});
    return {{"account", account.ToJson()}, {"lines", out}};
}

void LedgerService::DeclareEvents(events::EventTypeRegistry& registry) {
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

std::vector<Account> LedgerService::Accounts(const db::TenantScope& scope) {
    auto stored = LedgerRepository::Accounts(scope);
    return stored.empty() ? DefaultChart() : stored;
}

std::optional<Account> LedgerService::FindAccount(const db::TenantScope& scope, const std::string& code) {
    for (auto& account : Accounts(scope))
        if (account.code == code) return std::move(account);
    return std::nullopt;
}

JournalEntry LedgerService::Post(const db::TenantScope& scope, const JournalEntryDraft& draft,
                                 const std::string& request_id) {
    if (draft.posting_key.empty()) throw ValidationError("posting_key", "is required");
    // Idempotent: a key posted before answers with its entry, whatever else has changed since
    // (even a month closed after the first posting).
    if (const auto existing = LedgerRepository::EntryOfPostingKey(scope, draft.posting_key)) {
        auto entry = FindEntry(scope, *existing);
        if (!entry) throw std::logic_error("posting key without its journal entry");
        return std::move(*entry);
    }
    EnsureChart(scope);
    Money debits{0, draft.currency};
    Money credits{0, draft.currency};
    if (auto errors = DraftErrors(scope, draft, debits, credits); !errors.empty())
        throw ValidationError(std::move(errors));
    const std::string month = MonthOf(draft.posted_at);
    if (IsMonthClosed(scope, month)) throw Conflict("The accounting period " + month + " is closed.");

    // SQLite cannot defer a trigger to commit, so the balance of the lines is verified here, above,
    // before anything is written; PostgreSQL checks it again at commit (migrations/postgres/0007).
    const JournalEntry entry{.id = JournalEntryId(NewUuidV7()),
                             .number = common::NextDocumentNumber(scope, "JE"),
                             .posted_at = draft.posted_at,
                             .currency = draft.currency,
                             .memo = draft.memo,
                             .source_type = draft.source_type,
                             .source_id = draft.source_id,
                             .posting_key = draft.posting_key,
                             .total_debit = debits.minor_units,
                             .total_credit = credits.minor_units,
                             .created_at = Now(),
                             .lines = draft.lines};
    LedgerRepository::InsertEntry(scope, entry);
    events::EventOutbox::Record(scope, "journal_entry.posted", "journal_entry:" + entry.id.str(),
                                {{"journal_entry", entry.ToJson()}}, request_id);
    return entry;
}

std::optional<JournalEntry> LedgerService::FindEntry(const db::TenantScope& scope, const JournalEntryId& id) {
    return LedgerRepository::FindEntry(scope, id);
}

std::vector<JournalEntry> LedgerService::ListEntries(const db::TenantScope& scope, const JournalEntryFilter& filter) {
    return LedgerRepository::ListEntries(scope, filter);
}

TrialBalance LedgerService::TrialBalanceUntil(const db::TenantScope& scope, Timestamp until) {
    std::map<std::string, std::string> names;
    for (const auto& account : Accounts(scope)) names[account.code] = account.name;
    std::map<std::pair<std::string, std::string>, Balance> sums;  // (currency, account) → sums
    for (const auto& line : LedgerRepository::LinesBefore(scope, until)) {
        const Money zero{0, line.currency};
        auto [it, _] = sums.try_emplace(
            {line.currency, line.account_code},
            Balance{
                .account_code = line.account_code, .name = names[line.account_code], .debit = zero, .credit = zero});
        AddLine(it->second, {line.debit, line.currency}, {line.credit, line.currency});
    }
    TrialBalance out{.until = until, .accounts = {}, .totals = {}};
    std::map<std::string, Balance> totals;
    for (auto& [key, sum] : sums) {
        const Money zero{0, key.first};
        auto [it, _] =
            totals.try_emplace(key.first, Balance{.account_code = {}, .name = {}, .debit = zero, .credit = zero});
        AddLine(it->second, sum.debit, sum.credit);
        out.accounts.push_back(std::move(sum));
    }
    for (auto& [currency, total] : totals) out.totals.push_back(std::move(total));
    return out;
}

AccountStatement LedgerService::Statement(const db::TenantScope& scope, const Account& account, Timestamp from,
                                          Timestamp until) {
    AccountStatement out{.account = account, .lines = {}};
    std::map<std::string, Money> running;
    for (auto& line : LedgerRepository::LinesOfAccount(scope, account.code, from, until)) {
        auto [it, _] = running.try_emplace(line.currency, Money{0, line.currency});
        it->second = Checked(it->second, {line.debit, line.currency}, true);
        it->second = Checked(it->second, {line.credit, line.currency}, false);
        out.lines.push_back({.posted = std::move(line), .balance = it->second.minor_units});
    }
    return out;
}

std::vector<AccountingPeriod> LedgerService::Periods(const db::TenantScope& scope) {
    return LedgerRepository::Periods(scope);
}

bool LedgerService::IsMonthClosed(const db::TenantScope& scope, const std::string& month) {
    const auto period = LedgerRepository::FindPeriod(scope, month);
    return period && period->closed();
}

AccountingPeriod LedgerService::SetPeriod(const db::TenantScope& scope, const std::string& month, bool close,
                                          const std::string& user_id, const std::string& request_id) {
    if (IsMonthClosed(scope, month) == close)
        throw Conflict("The accounting period " + month + " is already " + (close ? "closed." : "open."));
    AccountingPeriod period{.month = month, .closed_at = std::nullopt, .closed_by = std::nullopt};
    if (close) {
        period.closed_at = Now();
        period.closed_by = user_id;
    }
    LedgerRepository::SavePeriod(scope, period);
    events::EventOutbox::Record(scope, close ? "accounting_period.closed" : "accounting_period.reopened",
                                "accounting_period:" + month, {{"accounting_period", period.ToJson()}}, request_id);
    return period;
}

}  // namespace kiln::ledger
