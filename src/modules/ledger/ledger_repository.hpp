#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/ledger/account.hpp"
#include "modules/ledger/accounting_period.hpp"
#include "modules/ledger/journal_entry.hpp"

namespace kiln::ledger {

struct JournalEntryFilter {
    std::optional<std::string> source_type;
    std::optional<std::string> source_id;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A line of an entry with what the reports need of its entry.
struct PostedLine {
    JournalEntryId entry_id;
    std::string number;
    Timestamp posted_at;
    std::string currency;
    std::string entry_memo;
    std::string source_type;
    std::string account_code;
    int64_t debit = 0;
    int64_t credit = 0;
    std::string memo;
};

/// A tenant's chart of accounts, journal and accounting periods as stored; the rules are LedgerService's.
class LedgerRepository final {
  public:
    /// The stored accounts by code; the default chart's are stored before the first write that needs them.
    static std::vector<Account> Accounts(const db::TenantScope& scope);
    /// Adds the account unless the code is taken.
    static void InsertAccount(const db::TenantScope& scope, const Account& account);
    /// Writes name, parent and active flag.
    static void UpdateAccount(const db::TenantScope& scope, const Account& account);
    static void DeleteAccount(const db::TenantScope& scope, const std::string& code);
    static bool HasPostings(const db::TenantScope& scope, const std::string& code);
    /// The purposes the tenant pointed at another account than the default's, by name.
    static std::vector<std::pair<std::string, std::string>> Settings(const db::TenantScope& scope);
    static void SaveSetting(const db::TenantScope& scope, std::string_view purpose, const std::string& code);

    static std::optional<JournalEntryId> EntryOfPostingKey(const db::TenantScope& scope,
                                                           const std::string& posting_key);
    /// Writes the entry, its lines and its posting key.
    static void InsertEntry(const db::TenantScope& scope, const JournalEntry& entry);
    static std::optional<JournalEntry> FindEntry(const db::TenantScope& scope, const JournalEntryId& id);
    /// Newest first, with their lines, up to filter.limit + 1 entries (the extra one tells that another page exists).
    static std::vector<JournalEntry> ListEntries(const db::TenantScope& scope, const JournalEntryFilter& filter);
    /// Every line of entries posted in [from, until).
    static std::vector<PostedLine> LinesBetween(const db::TenantScope& scope, Timestamp from, Timestamp until);
    /// The lines on `account_code` posted in [from, until), in posting order.
    static std::vector<PostedLine> LinesOfAccount(const db::TenantScope& scope, const std::string& account_code,
                                                  Timestamp from, Timestamp until);

    static std::optional<AccountingPeriod> FindPeriod(const db::TenantScope& scope, const std::string& month);
    /// Newest month first.
    static std::vector<AccountingPeriod> Periods(const db::TenantScope& scope);
    static void SavePeriod(const db::TenantScope& scope, const AccountingPeriod& period);
};

}  // namespace kiln::ledger
