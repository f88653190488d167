#include "modules/ledger/ledger_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "core/error.hpp"
#include "core/uuid.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/common/field_changes.hpp"
#include "modules/events/event_outbox.hpp"

namespace kiln::ledger {

namespace {

void AddLine(Balance& balance, const Money& debit, const Money& credit) {
    balance.debit = SumOfStored(balance.debit, debit);
    balance.credit = SumOfStored(balance.credit, credit);
}

/// Stores the default chart's accounts the tenant has not stored yet, before a write refers to them; the whole
/// chart as it now is (what LedgerService::Accounts reads, without reading it again).
std::vector<Account> EnsureChart(const db::TenantScope& scope) {
    std::vector<Account> chart = LedgerRepository::Accounts(scope);
    std::set<std::string> stored;
    for (const auto& account : chart) stored.insert(account.code);
    for (const auto& account : DefaultChart()) {
        if (stored.contains(account.code)) continue;
        LedgerRepository::InsertAccount(scope, account);
        chart.push_back(account);
    }
    return chart;
}

bool IsDefaultAccount(const std::string& code) {
    return std::ranges::any_of(DefaultChart(), [&](const Account& account) { return account.code == code; });
}

/// The purposes an account serves, "revenue, refunds"; empty when none.
std::string PurposesOf(const PostingAccounts& accounts, const std::string& code) {
    std::string out;
    for (const auto purpose : kPostingPurposes.Values())
        if (accounts.of(purpose) == code)
            out += (out.empty() ? "" : ", ") + std::string(kPostingPurposes.Name(purpose));
    return out;
}

/// A parent for `account`: an account of the same type, and neither `account` itself nor one grouped under it.
void CheckParent(const std::vector<Account>& chart, const Account& account, const std::string& parent_code,
                 std::vector<FieldError>& errors) {
    std::map<std::string, const Account*> by_code;
    for (const auto& a : chart) by_code[a.code] = &a;
    const auto parent = by_code.find(parent_code);
    if (parent == by_code.end()) {
        errors.push_back({"parent_code", "does not name an account"});
        return;
    }
    if (parent->second->type != account.type) {
        errors.push_back({"parent_code", "must be an account of the same type (" +
                                             std::string(kAccountTypes.Name(account.type)) + ")"});
        return;
    }
    // Walk up from the parent: reaching the account would make a cycle. The chart is finite and acyclic so far.
    std::optional<std::string> at = parent_code;
    for (size_t steps = 0; at && steps <= chart.size(); ++steps) {
        if (*at == account.code) {
            errors.push_back({"parent_code", "cannot be the account itself or an account grouped under it"});
            return;
        }
        const auto up = by_code.find(*at);
        at = up == by_code.end() ? std::nullopt : up->second->parent_code;
    }
}

/// Every problem of a draft at once; nothing when it can be posted.
std::vector<FieldError> DraftErrors(const std::vector<Account>& chart, const JournalEntryDraft& draft, Money& debits,
                                    Money& credits) {
    std::vector<FieldError> errors;
    if (!IsCurrency(draft.currency)) errors.push_back({"currency", "must be an ISO 4217 code Kiln knows"});
    if (draft.source_type.empty()) errors.push_back({"source_type", "is required"});
    if (draft.lines.size() < 2) errors.push_back({"lines", "needs at least two lines"});
    std::map<std::string, bool> known;  // code → active
    for (const auto& account : chart) known[account.code] = account.active;
    bool overflow = false;
    for (size_t i = 0; i < draft.lines.size(); ++i) {
        const auto& line = draft.lines[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        if (const auto it = known.find(line.account_code); it == known.end())
            errors.push_back({where + ".account_code", "does not name an account"});
        else if (!it->second)
            errors.push_back({where + ".account_code", "is an inactive account"});
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
    return DifferenceOfStored(debit, credit);
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
    // `until` is the start of the day after the one asked for.
    return {{"as_of", FormatTimestamp(until - std::chrono::hours(24)).substr(0, 10)},
            {"accounts", accounts_out},
            {"totals", totals_out}};
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
    std::map<std::string, Account> chart;
    for (const auto& account : DefaultChart()) chart[account.code] = account;
    for (auto& account : LedgerRepository::Accounts(scope)) chart[account.code] = std::move(account);
    std::vector<Account> out;
    out.reserve(chart.size());
    for (auto& [code, account] : chart) out.push_back(std::move(account));
    return out;
}

std::optional<Account> LedgerService::FindAccount(const db::TenantScope& scope, const std::string& code) {
    for (auto& account : Accounts(scope))
        if (account.code == code) return std::move(account);
    return std::nullopt;
}

Account LedgerService::CreateAccount(const db::TenantScope& scope, const NewAccount& request) {
    const auto chart = Accounts(scope);
    for (const auto& existing : chart)
        if (existing.code == request.code) throw Conflict("The chart already has an account " + request.code + ".");
    Account account{.code = request.code,
                    .name = request.name,
                    .type = request.type,
                    .parent_code = request.parent_code,
                    .active = true};
    std::vector<FieldError> errors;
    if (request.parent_code) CheckParent(chart, account, *request.parent_code, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    EnsureChart(scope);
    LedgerRepository::InsertAccount(scope, account);
    return account;
}

nlohmann::json LedgerService::EditAccount(const db::TenantScope& scope, Account& account, const AccountEdit& edit) {
    common::FieldChanges changes;
    std::vector<FieldError> errors;
    if (edit.parent_code && *edit.parent_code) CheckParent(Accounts(scope), account, **edit.parent_code, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    if (edit.active && !*edit.active && account.active) {
        if (const auto purposes = PurposesOf(PostingAccountsOf(scope), account.code); !purposes.empty())
            throw Conflict("The account " + account.code + " takes the " + purposes +
                           " postings; point them at another account in /ledger/settings first.");
    }
    if (edit.name) changes.Set("name", account.name, *edit.name);
    if (edit.parent_code && *edit.parent_code != account.parent_code) {
        const auto shown = [](const std::optional<std::string>& code) {
            return code ? nlohmann::json(*code) : nlohmann::json(nullptr);
        };
        changes.Record("parent_code", shown(account.parent_code), shown(*edit.parent_code));
        account.parent_code = *edit.parent_code;
    }
    if (edit.active) changes.Set("is_active", account.active, *edit.active);
    if (!changes.empty()) {
        EnsureChart(scope);
        LedgerRepository::UpdateAccount(scope, account);
    }
    return changes.json();
}

void LedgerService::DeleteAccount(const db::TenantScope& scope, const Account& account) {
    const auto refuse = [&](const std::string& why) {
        throw Conflict("The account " + account.code + " " + why + "; deactivate it instead.");
    };
    if (IsDefaultAccount(account.code)) refuse("is part of the default chart");
    if (LedgerRepository::HasPostings(scope, account.code)) refuse("has postings");
    for (const auto& other : Accounts(scope))
        if (other.parent_code == account.code) refuse("groups other accounts");
    if (const auto purposes = PurposesOf(PostingAccountsOf(scope), account.code); !purposes.empty())
        refuse("takes the " + purposes + " postings");
    LedgerRepository::DeleteAccount(scope, account.code);
}

PostingAccounts LedgerService::PostingAccountsOf(const db::TenantScope& scope) {
    PostingAccounts accounts;
    for (auto& [purpose, code] : LedgerRepository::Settings(scope))
        accounts.Set(kPostingPurposes.FromStored(purpose), std::move(code));
    return accounts;
}

nlohmann::json LedgerService::SetPostingAccounts(const db::TenantScope& scope,
                                                 const std::vector<std::pair<PostingPurpose, std::string>>& wanted) {
    std::map<std::string, Account> chart;
    for (auto& account : Accounts(scope)) chart.emplace(account.code, std::move(account));
    std::vector<FieldError> errors;
    for (const auto& [purpose, code] : wanted) {
        const std::string field(kPostingPurposes.Name(purpose));
        const auto it = chart.find(code);
        if (it == chart.end())
            errors.push_back({field, "does not name an account"});
        else if (!it->second.active)
            errors.push_back({field, "is an inactive account"});
        else if (it->second.type != RequiredType(purpose))
            errors.push_back(
                {field, "must be an account of type " + std::string(kAccountTypes.Name(RequiredType(purpose)))});
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    PostingAccounts current = PostingAccountsOf(scope);
    common::FieldChanges changes;
    EnsureChart(scope);
    for (const auto& [purpose, code] : wanted) {
        std::string now = current.of(purpose);
        if (now == code) continue;
        changes.Set(std::string(kPostingPurposes.Name(purpose)), now, code);
        LedgerRepository::SaveSetting(scope, kPostingPurposes.Name(purpose), code);
    }
    return changes.json();
}

std::vector<JournalEntry> LedgerService::CloseYear(const db::TenantScope& scope, int year,
                                                   const std::string& request_id) {
    const auto start = ParseTimestamp(std::to_string(year) + "-01-01");
    const auto next = ParseTimestamp(std::to_string(year + 1) + "-01-01");
    if (!start || !next) throw ValidationError("year", "must be a year between 1970 and 9998");
    std::map<std::string, AccountType> types;
    for (const auto& account : Accounts(scope)) types[account.code] = account.type;
    // (currency, account) → debit − credit over the year, revenue and expense accounts only.
    std::map<std::string, std::map<std::string, Money>> balances;
    for (const auto& line : LedgerRepository::LinesBetween(scope, *start, *next)) {
        const auto type = types.find(line.account_code);
        if (type == types.end() || (type->second != AccountType::kRevenue && type->second != AccountType::kExpense))
            continue;
        auto [it, _] = balances[line.currency].try_emplace(line.account_code, Money{0, line.currency});
        it->second =
            DifferenceOfStored(SumOfStored(it->second, {line.debit, line.currency}), {line.credit, line.currency});
    }
    const std::string retained = PostingAccountsOf(scope).of(PostingPurpose::kRetainedEarnings);
    // A close after more was posted into the year closes the rest: the n-th close of a currency has key …:<n>.
    std::map<std::string, int> closes;
    for (const auto& entry : ListEntries(scope, {.source_type = "year_end",
                                                .source_id = std::to_string(year),
                                                .before_id = std::nullopt,
                                                .limit = 10'000}))
        ++closes[entry.currency];
    std::vector<JournalEntry> posted;
    for (const auto& [currency, accounts] : balances) {
        JournalEntryDraft draft{.posted_at = *next - std::chrono::microseconds(1),
                                .currency = currency,
                                .memo = "Year-end close " + std::to_string(year),
                                .source_type = "year_end",
                                .source_id = std::to_string(year),
                                .posting_key = "year-end:" + std::to_string(year) + ":" + currency + ":" +
                                               std::to_string(++closes[currency]),
                                .lines = {}};
        int64_t net = 0;  // debit − credit of the lines so far; retained earnings takes the rest
        for (const auto& [code, balance] : accounts) {
            if (balance.minor_units == 0) continue;
            // Zero the account: a debit balance is credited away, a credit balance debited.
            const int64_t amount = balance.minor_units > 0 ? balance.minor_units : -balance.minor_units;
            draft.lines.push_back({.account_code = code,
                                   .debit = balance.minor_units < 0 ? amount : 0,
                                   .credit = balance.minor_units > 0 ? amount : 0,
                                   .memo = "Close " + code});
            if (__builtin_add_overflow(net, -balance.minor_units, &net))
                throw std::overflow_error("year-end sums beyond int64");
        }
        if (net != 0)
            draft.lines.push_back({.account_code = retained,
                                   .debit = net < 0 ? -net : 0,
                                   .credit = net > 0 ? net : 0,
                                   .memo = "Net result " + std::to_string(year)});
        if (draft.lines.size() < 2) continue;
        posted.push_back(Post(scope, draft, request_id));
    }
    return posted;
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
    const auto chart = EnsureChart(scope);
    Money debits{0, draft.currency};
    Money credits{0, draft.currency};
    if (auto errors = DraftErrors(chart, draft, debits, credits); !errors.empty())
        throw ValidationError(std::move(errors));
    const std::string month = MonthOf(draft.posted_at);
    if (IsMonthClosed(scope, month)) throw Conflict("The accounting period " + month + " is closed.");

    // SQLite cannot defer a trigger to commit, so the balance of the lines is verified here, above,
    // before anything is written; PostgreSQL checks it again at commit (migrations/postgres/0007).
    JournalEntry entry{.id = JournalEntryId(NewUuidV7()),
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
    for (const auto& line : LedgerRepository::LinesBetween(scope, Timestamp{}, until)) {
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
        it->second = SumOfStored(it->second, {line.debit, line.currency});
        it->second = DifferenceOfStored(it->second, {line.credit, line.currency});
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
