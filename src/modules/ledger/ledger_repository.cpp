#include "modules/ledger/ledger_repository.hpp"

namespace kiln::ledger {

namespace {

constexpr std::string_view kSelectAccounts =
    "SELECT code, name, type, parent_code, is_active FROM ledger_accounts WHERE tenant_id = $1 ORDER BY code";
constexpr std::string_view kInsertAccount = R"sql(
    INSERT INTO ledger_accounts (tenant_id, code, name, type, parent_code, is_active) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (tenant_id, code) DO NOTHING)sql";
constexpr std::string_view kUpdateAccount =
    "UPDATE ledger_accounts SET name = $3, parent_code = $4, is_active = $5 WHERE tenant_id = $1 AND code = $2";
constexpr std::string_view kDeleteAccount = "DELETE FROM ledger_accounts WHERE tenant_id = $1 AND code = $2";
constexpr std::string_view kAccountHasLines =
    "SELECT 1 FROM journal_lines WHERE tenant_id = $1 AND account_code = $2 LIMIT 1";
constexpr std::string_view kSelectSettings =
    "SELECT purpose, account_code FROM ledger_settings WHERE tenant_id = $1 ORDER BY purpose";
constexpr std::string_view kUpsertSetting = R"sql(
    INSERT INTO ledger_settings (tenant_id, purpose, account_code) VALUES ($1, $2, $3)
    ON CONFLICT (tenant_id, purpose) DO UPDATE SET account_code = $3)sql";
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
    SELECT account_code, debit, credit, memo FROM journal_lines
    WHERE tenant_id = $1 AND entry_id = $2 ORDER BY line_no)sql";
constexpr std::string_view kListEntries = R"sql(
    SELECT id FROM journal_entries
    WHERE tenant_id = $1 AND ($2 IS NULL OR source_type = $2) AND ($3 IS NULL OR source_id = $3)
      AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListEntriesPostgres = R"sql(
    SELECT id FROM journal_entries
    WHERE tenant_id = $1 AND ($2::text IS NULL OR source_type = $2) AND ($3::text IS NULL OR source_id = $3)
      AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kLinesBetween = R"sql(
    SELECT e.id, e.number, e.posted_at, e.currency, e.memo, e.source_type, l.account_code, l.debit, l.credit,
           l.memo AS line_memo
    FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
    WHERE l.tenant_id = $1 AND e.posted_at >= $2 AND e.posted_at < $3)sql";
constexpr std::string_view kLinesOfAccount = R"sql(
    SELECT e.id, e.number, e.posted_at, e.currency, e.memo, e.source_type, l.account_code, l.debit, l.credit,
           l.memo AS line_memo
    FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
    WHERE l.tenant_id = $1 AND l.account_code = $2 AND e.posted_at >= $3 AND e.posted_at < $4
    ORDER BY e.posted_at, e.number, l.line_no)sql";
constexpr std::string_view kSelectPeriod =
    "SELECT month, closed_at, closed_by FROM accounting_periods WHERE tenant_id = $1 AND month = $2";
constexpr std::string_view kListPeriods =
    "SELECT month, closed_at, closed_by FROM accounting_periods WHERE tenant_id = $1 ORDER BY month DESC";
constexpr std::string_view kUpsertPeriod = R"sql(
    INSERT INTO accounting_periods (tenant_id, month, closed_at, closed_by) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, month) DO UPDATE SET closed_at = $3, closed_by = $4)sql";

PostedLine LineFrom(const db::Row& row) {
    return {.entry_id = JournalEntryId(row.Get<std::string>("id")),
            .number = row.Get<std::string>("number"),
            .posted_at = row.Get<Timestamp>("posted_at"),
            .currency = row.Get<std::string>("currency"),
            .entry_memo = row.Get<std::string>("memo"),
            .source_type = row.Get<std::string>("source_type"),
            .account_code = row.Get<std::string>("account_code"),
            .debit = row.Get<int64_t>("debit"),
            .credit = row.Get<int64_t>("credit"),
            .memo = row.Get<std::string>("line_memo")};
}

AccountingPeriod PeriodFrom(const db::Row& row) {
    return {.month = row.Get<std::string>("month"),
            .closed_at = row.GetOptional<Timestamp>("closed_at"),
            .closed_by = row.GetOptional<std::string>("closed_by")};
}

}  // namespace

std::vector<Account> LedgerRepository::Accounts(const db::TenantScope& scope) {
    std::vector<Account> out;
    for (const auto& row : scope.Exec(kSelectAccounts, {scope.tenant()}))
        out.push_back({.code = row.Get<std::string>("code"),
                       .name = row.Get<std::string>("name"),
                       .type = kAccountTypes.FromStored(row.Get<std::string>("type")),
                       .parent_code = row.GetOptional<std::string>("parent_code"),
                       .active = row.Get<bool>("is_active")});
    return out;
}

void LedgerRepository::InsertAccount(const db::TenantScope& scope, const Account& account) {
    scope.Exec(kInsertAccount, {scope.tenant(), account.code, account.name,
                                std::string(kAccountTypes.Name(account.type)), account.parent_code, account.active});
}

void LedgerRepository::UpdateAccount(const db::TenantScope& scope, const Account& account) {
    scope.Exec(kUpdateAccount, {scope.tenant(), account.code, account.name, account.parent_code, account.active});
}

void LedgerRepository::DeleteAccount(const db::TenantScope& scope, const std::string& code) {
    scope.Exec(kDeleteAccount, {scope.tenant(), code});
}

bool LedgerRepository::HasPostings(const db::TenantScope& scope, const std::string& code) {
    return !scope.Exec(kAccountHasLines, {scope.tenant(), code}).empty();
}

std::vector<std::pair<std::string, std::string>> LedgerRepository::Settings(const db::TenantScope& scope) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row : scope.Exec(kSelectSettings, {scope.tenant()}))
        out.emplace_back(row.Get<std::string>("purpose"), row.Get<std::string>("account_code"));
    return out;
}

void LedgerRepository::SaveSetting(const db::TenantScope& scope, std::string_view purpose, const std::string& code) {
    scope.Exec(kUpsertSetting, {scope.tenant(), std::string(purpose), code});
}

std::optional<JournalEntryId> LedgerRepository::EntryOfPostingKey(const db::TenantScope& scope,
                                                                  const std::string& posting_key) {
    const auto rows = scope.Exec(kSelectPostingKey, {scope.tenant(), posting_key});
    if (rows.empty()) return std::nullopt;
    return JournalEntryId(rows.front().Get<std::string>(0));
}

void LedgerRepository::InsertEntry(const db::TenantScope& scope, const JournalEntry& entry) {
    scope.Exec(kInsertPostingKey, {scope.tenant(), entry.posting_key, entry.id});
    scope.Exec(kInsertEntry,
               {scope.tenant(), entry.id, entry.number, entry.posted_at, entry.currency, entry.memo, entry.source_type,
                entry.source_id, entry.posting_key, entry.total_debit, entry.total_credit, entry.created_at});
    int64_t line_no = 0;
    for (const auto& line : entry.lines)
        scope.Exec(kInsertLine,
                   {scope.tenant(), entry.id, ++line_no, line.account_code, line.debit, line.credit, line.memo});
}

std::optional<JournalEntry> LedgerRepository::FindEntry(const db::TenantScope& scope, const JournalEntryId& id) {
    const auto rows = scope.Exec(kSelectEntry, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    JournalEntry entry{.id = JournalEntryId(row.Get<std::string>("id")),
                       .number = row.Get<std::string>("number"),
                       .posted_at = row.Get<Timestamp>("posted_at"),
                       .currency = row.Get<std::string>("currency"),
                       .memo = row.Get<std::string>("memo"),
                       .source_type = row.Get<std::string>("source_type"),
                       .source_id = row.Get<std::string>("source_id"),
                       .posting_key = row.Get<std::string>("posting_key"),
                       .total_debit = row.Get<int64_t>("total_debit"),
                       .total_credit = row.Get<int64_t>("total_credit"),
                       .created_at = row.Get<Timestamp>("created_at"),
                       .lines = {}};
    for (const auto& line : scope.Exec(kSelectLines, {scope.tenant(), id}))
        entry.lines.push_back({.account_code = line.Get<std::string>("account_code"),
                               .debit = line.Get<int64_t>("debit"),
                               .credit = line.Get<int64_t>("credit"),
                               .memo = line.Get<std::string>("memo")});
    return entry;
}

std::vector<JournalEntry> LedgerRepository::ListEntries(const db::TenantScope& scope,
                                                        const JournalEntryFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListEntriesPostgres : kListEntries;
    std::vector<JournalEntry> out;
    for (const auto& row :
         scope.Exec(sql, {scope.tenant(), filter.source_type, filter.source_id, filter.before_id, filter.limit + 1}))
        if (auto entry = FindEntry(scope, JournalEntryId(row.Get<std::string>("id")))) out.push_back(std::move(*entry));
    return out;
}

std::vector<PostedLine> LedgerRepository::LinesBetween(const db::TenantScope& scope, Timestamp from, Timestamp until) {
    std::vector<PostedLine> out;
    for (const auto& row : scope.Exec(kLinesBetween, {scope.tenant(), from, until})) out.push_back(LineFrom(row));
    return out;
}

std::vector<PostedLine> LedgerRepository::LinesOfAccount(const db::TenantScope& scope, const std::string& account_code,
                                                         Timestamp from, Timestamp until) {
    std::vector<PostedLine> out;
    for (const auto& row : scope.Exec(kLinesOfAccount, {scope.tenant(), account_code, from, until}))
        out.push_back(LineFrom(row));
    return out;
}

std::optional<AccountingPeriod> LedgerRepository::FindPeriod(const db::TenantScope& scope, const std::string& month) {
    const auto rows = scope.Exec(kSelectPeriod, {scope.tenant(), month});
    if (rows.empty()) return std::nullopt;
    return PeriodFrom(rows.front());
}

std::vector<AccountingPeriod> LedgerRepository::Periods(const db::TenantScope& scope) {
    std::vector<AccountingPeriod> out;
    for (const auto& row : scope.Exec(kListPeriods, {scope.tenant()})) out.push_back(PeriodFrom(row));
    return out;
}

void LedgerRepository::SavePeriod(const db::TenantScope& scope, const AccountingPeriod& period) {
    scope.Exec(kUpsertPeriod,
               {scope.tenant(), period.month, period.closed_at ? db::Param(*period.closed_at) : db::Param(nullptr),
                period.closed_by ? db::Param(*period.closed_by) : db::Param(nullptr)});
}

}  // namespace kiln::ledger
