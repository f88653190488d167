#include "modules/ledger/ledger_reports.hpp"

#include <map>
#include <stdexcept>

#include "core/csv.hpp"
#include "modules/ledger/ledger_repository.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::ledger {

namespace {

/// A line's effect on an account, signed so that the account's normal side is positive.
Money Effect(const PostedLine& line, AccountType type) {
    const int64_t debit_minus_credit = line.debit - line.credit;  // each side ≤ 10^18: no overflow
    return {DebitNormal(type) ? debit_minus_credit : -debit_minus_credit, line.currency};
}

/// Per currency, per account: the signed sums of `lines`.
using Sums = std::map<std::string, std::map<std::string, Money>>;

Sums SumByAccount(const std::vector<PostedLine>& lines, const std::map<std::string, Account>& chart,
                  bool skip_year_end) {
    Sums sums;
    for (const auto& line : lines) {
        if (skip_year_end && line.source_type == "year_end") continue;
        const auto account = chart.find(line.account_code);
        if (account == chart.end()) continue;  // lines always name an account (a foreign key)
        auto [it, _] = sums[line.currency].try_emplace(line.account_code, Money{0, line.currency});
        it->second = SumOfStored(it->second, Effect(line, account->second.type));
    }
    return sums;
}

std::map<std::string, Account> ChartByCode(const db::TenantScope& scope) {
    std::map<std::string, Account> chart;
    for (auto& account : LedgerService::Accounts(scope)) chart.emplace(account.code, std::move(account));
    return chart;
}

/// The accounts of `type` with a non-zero figure, in code order, and their total.
ReportSection Section(const std::map<std::string, Money>& sums, const std::map<std::string, Account>& chart,
                      AccountType type, const std::string& currency) {
    ReportSection section{.lines = {}, .total = {0, currency}};
    for (const auto& [code, amount] : sums) {
        const Account& account = chart.at(code);
        if (account.type != type || amount.minor_units == 0) continue;
        section.lines.push_back(
            {.account_code = code, .name = account.name, .parent_code = account.parent_code, .amount = amount});
        section.total = SumOfStored(section.total, amount);
    }
    return section;
}

void SectionCsv(std::string& out, const std::string& title, const ReportSection& section, const std::string& currency) {
    for (const auto& line : section.lines)
        out += CsvRecord(
            {title, line.account_code.value_or(""), line.name, currency, std::to_string(line.amount.minor_units)});
    out += CsvRecord({title, "", "Total", currency, std::to_string(section.total.minor_units)});
}

}  // namespace

nlohmann::json ReportSection::ToJson() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& line : lines)
        out.push_back({{"account_code", line.account_code ? nlohmann::json(*line.account_code) : nullptr},
                       {"name", line.name},
                       {"parent_code", line.parent_code ? nlohmann::json(*line.parent_code) : nullptr},
                       {"amount", line.amount.minor_units}});
    return {{"lines", out}, {"total", total.minor_units}};
}

nlohmann::json ProfitAndLoss::ToJson() const {
    return {{"currency", currency},
            {"income", income.ToJson()},
            {"expenses", expenses.ToJson()},
            {"net_income", net_income.minor_units}};
}

nlohmann::json BalanceSheet::ToJson() const {
    return {{"currency", currency},
            {"assets", assets.ToJson()},
            {"liabilities", liabilities.ToJson()},
            {"equity", equity.ToJson()},
            {"liabilities_and_equity", liabilities_and_equity.minor_units},
            {"balanced", balanced()}};
}

std::vector<ProfitAndLoss> LedgerReports::ProfitAndLossFor(const db::TenantScope& scope, Timestamp from,
                                                           Timestamp until) {
    const auto chart = ChartByCode(scope);
    std::vector<ProfitAndLoss> out;
    for (const auto& [currency, sums] : SumByAccount(LedgerRepository::LinesBetween(scope, from, until), chart, true)) {
        ProfitAndLoss statement{.currency = currency,
                                .income = Section(sums, chart, AccountType::kRevenue, currency),
                                .expenses = Section(sums, chart, AccountType::kExpense, currency),
                                .net_income = {0, currency}};
        statement.net_income = DifferenceOfStored(statement.income.total, statement.expenses.total);
        if (statement.income.lines.empty() && statement.expenses.lines.empty()) continue;
        out.push_back(std::move(statement));
    }
    return out;
}

std::vector<BalanceSheet> LedgerReports::BalanceSheetAt(const db::TenantScope& scope, Timestamp until) {
    const auto chart = ChartByCode(scope);
    std::vector<BalanceSheet> out;
    for (const auto& [currency, sums] :
         SumByAccount(LedgerRepository::LinesBetween(scope, Timestamp{}, until), chart, false)) {
        BalanceSheet sheet{.currency = currency,
                           .assets = Section(sums, chart, AccountType::kAsset, currency),
                           .liabilities = Section(sums, chart, AccountType::kLiability, currency),
                           .equity = Section(sums, chart, AccountType::kEquity, currency),
                           .liabilities_and_equity = {0, currency}};
        // Earnings not yet closed into retained earnings belong to the owners too.
        const Money earnings = DifferenceOfStored(Section(sums, chart, AccountType::kRevenue, currency).total,
                                                  Section(sums, chart, AccountType::kExpense, currency).total);
        if (earnings.minor_units != 0) {
            sheet.equity.lines.push_back({.account_code = std::nullopt,
                                          .name = "Current earnings",
                                          .parent_code = std::nullopt,
                                          .amount = earnings});
            sheet.equity.total = SumOfStored(sheet.equity.total, earnings);
        }
        sheet.liabilities_and_equity = SumOfStored(sheet.liabilities.total, sheet.equity.total);
        out.push_back(std::move(sheet));
    }
    return out;
}

std::string ProfitAndLossCsv(const std::vector<ProfitAndLoss>& statements) {
    std::string out = CsvRecord({"section", "account_code", "name", "currency", "amount"});
    for (const auto& s : statements) {
        SectionCsv(out, "income", s.income, s.currency);
        SectionCsv(out, "expenses", s.expenses, s.currency);
        out += CsvRecord({"net_income", "", "Net income", s.currency, std::to_string(s.net_income.minor_units)});
    }
    return out;
}

std::string BalanceSheetCsv(const std::vector<BalanceSheet>& statements) {
    std::string out = CsvRecord({"section", "account_code", "name", "currency", "amount"});
    for (const auto& s : statements) {
        SectionCsv(out, "assets", s.assets, s.currency);
        SectionCsv(out, "liabilities", s.liabilities, s.currency);
        SectionCsv(out, "equity", s.equity, s.currency);
        out += CsvRecord({"liabilities_and_equity", "", "Liabilities and equity", s.currency,
                          std::to_string(s.liabilities_and_equity.minor_units)});
    }
    return out;
}

}  // namespace kiln::ledger
