#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/ledger/account.hpp"

namespace kiln::ledger {

/// One account's figure in a report, signed the way its section reads (revenue positive as earned, an asset
/// positive as held).
struct ReportLine {
    std::optional<std::string> account_code;  // nothing for a computed line (current earnings)
    std::string name;
    std::optional<std::string> parent_code;
    Money amount;
};

struct ReportSection {
    std::vector<ReportLine> lines;
    Money total;
    nlohmann::json ToJson() const;
};

/// Revenue and expenses of a period in one currency; year-end closing entries are left out.
struct ProfitAndLoss {
    std::string currency;
    ReportSection income;
    ReportSection expenses;
    Money net_income;  // income − expenses
    nlohmann::json ToJson() const;
};

/// What the books hold at an instant in one currency. Equity includes the earnings not yet closed into retained
/// earnings, so assets = liabilities + equity whenever every entry balanced.
struct BalanceSheet {
    std::string currency;
    ReportSection assets;
    ReportSection liabilities;
    ReportSection equity;
    Money liabilities_and_equity;
    bool balanced() const { return assets.total == liabilities_and_equity; }
    nlohmann::json ToJson() const;
};

/// The financial statements, computed from the journal in the caller's (read) transaction.
class LedgerReports final {
  public:
    /// Entries posted in [from, until), one statement per currency that has any.
    static std::vector<ProfitAndLoss> ProfitAndLossFor(const db::TenantScope& scope, Timestamp from, Timestamp until);
    /// Entries posted before `until`.
    static std::vector<BalanceSheet> BalanceSheetAt(const db::TenantScope& scope, Timestamp until);
};

/// Report rows as CSV (RFC 4180): `section,account_code,name,currency,amount` per line and total.
std::string ProfitAndLossCsv(const std::vector<ProfitAndLoss>& statements);
std::string BalanceSheetCsv(const std::vector<BalanceSheet>& statements);

}  // namespace kiln::ledger
