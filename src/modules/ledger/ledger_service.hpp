#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/events/event_types.hpp"
#include "modules/ledger/account.hpp"
#include "modules/ledger/accounting_period.hpp"
#include "modules/ledger/journal_entry.hpp"
#include "modules/ledger/ledger_repository.hpp"

namespace kiln::ledger {

/// Debit and credit sums of one account (or of all, for a total) in one currency.
struct Balance {
    std::string account_code;  // empty for a currency's total
    std::string name;
    Money debit;
    Money credit;
    Money balance() const;  // debit − credit
    nlohmann::json ToJson() const;
};

/// Every account's sums up to a day, per currency; each currency's balances add up to zero.
struct TrialBalance {
    Timestamp until;  // entries posted before this instant
    std::vector<Balance> accounts;
    std::vector<Balance> totals;
    nlohmann::json ToJson() const;
};

/// The lines on one account with the running balance (debit − credit) per currency.
struct AccountStatement {
    struct Line {
        PostedLine posted;
        int64_t balance = 0;
    };
    Account account;
    std::vector<Line> lines;
    nlohmann::json ToJson() const;
};

/// A new account of the chart.
struct NewAccount {
    std::string code;
    std::string name;
    AccountType type = AccountType::kAsset;
    std::optional<std::string> parent_code;
};

/// An edit of an account: the fields it names (`parent_code` set to nothing ungroups it).
struct AccountEdit {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> parent_code;
    std::optional<bool> active;
};

/// The rules of the books, in the caller's transaction: only balanced entries in open months are posted, once per
/// posting key; the reports sum in checked Money. Billing posts here; the routes map JSON and audit.
class LedgerService final {
  public:
    /// Declares journal_entry.posted and accounting_period.closed|reopened. Idempotent.
    static void DeclareEvents(events::EventTypeRegistry& registry);

    /// The tenant's accounts by code: those it stored and the default chart's it has not stored yet (reads never
    /// write).
    static std::vector<Account> Accounts(const db::TenantScope& scope);
    static std::optional<Account> FindAccount(const db::TenantScope& scope, const std::string& code);
    /// Conflict when the code is taken; ValidationError when the parent is not an account of the same type.
    static Account CreateAccount(const db::TenantScope& scope, const NewAccount& request);
    /// Renames, regroups, deactivates or reactivates; the changes made. An account a posting purpose uses cannot be
    /// deactivated (Conflict), a parent must have the same type and cannot be the account or one under it.
    static nlohmann::json EditAccount(const db::TenantScope& scope, Account& account, const AccountEdit& edit);
    /// Only an account with no postings, no accounts under it, no posting purpose and not of the default chart
    /// (Conflict otherwise: deactivate it instead).
    static void DeleteAccount(const db::TenantScope& scope, const Account& account);

    /// The account each kind of posting goes to.
    static PostingAccounts PostingAccountsOf(const db::TenantScope& scope);
    /// Points purposes at other accounts (each must exist, be active and have the purpose's type); the changes.
    static nlohmann::json SetPostingAccounts(const db::TenantScope& scope,
                                             const std::vector<std::pair<PostingPurpose, std::string>>& wanted);
    /// Moves the year's revenue and expense balances into retained earnings: one entry per currency that has any,
    /// dated the last instant of the year (source_type "year_end"). Closing again posts only what was posted into the
    /// year since (nothing, usually). Profit and loss reports leave these entries out. Conflict when December of
    /// that year is closed.
    static std::vector<JournalEntry> CloseYear(const db::TenantScope& scope, int year, const std::string& request_id);

    /// Posts an entry and publishes journal_entry.posted (with `request_id`). Creates the tenant's chart of accounts
    /// on first use. Throws ValidationError (unbalanced, empty, unknown account, negative amounts, overflow) or
    /// Conflict (the posting date falls in a closed period). Idempotent per posting_key: posting the same key twice
    /// returns the first entry and writes nothing.
    static JournalEntry Post(const db::TenantScope& scope, const JournalEntryDraft& draft,
                             const std::string& request_id = "");
    static std::optional<JournalEntry> FindEntry(const db::TenantScope& scope, const JournalEntryId& id);
    static std::vector<JournalEntry> ListEntries(const db::TenantScope& scope, const JournalEntryFilter& filter);

    /// Entries posted before `until`. Sums beyond int64 throw std::overflow_error (a corrupt ledger, not a caller's
    /// mistake: every entry was checked when posted).
    static TrialBalance TrialBalanceUntil(const db::TenantScope& scope, Timestamp until);
    static AccountStatement Statement(const db::TenantScope& scope, const Account& account, Timestamp from,
                                      Timestamp until);

    static std::vector<AccountingPeriod> Periods(const db::TenantScope& scope);
    static bool IsMonthClosed(const db::TenantScope& scope, const std::string& month);
    /// Closes (`close`) or reopens `month` (YYYY-MM) on behalf of `user_id`; Conflict when it already is so.
    /// Publishes accounting_period.closed or .reopened.
    static AccountingPeriod SetPeriod(const db::TenantScope& scope, const std::string& month, bool close,
                                      const std::string& user_id, const std::string& request_id);
};

}  // namespace kiln::ledger
