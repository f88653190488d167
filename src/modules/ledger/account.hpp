#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_text.hpp"

namespace kiln::ledger {

/// The chart of accounts every tenant starts with. Codes are stable: other modules post to them.
namespace accounts {
inline constexpr std::string_view kCash = "1000";
inline constexpr std::string_view kBank = "1010";
inline constexpr std::string_view kAccountsReceivable = "1200";
inline constexpr std::string_view kTaxPayable = "2200";
inline constexpr std::string_view kRevenue = "4000";
inline constexpr std::string_view kRefunds = "4900";  // contra-revenue
inline constexpr std::string_view kGatewayFees = "6100";
}  // namespace accounts

/// Which side of the books an account is on: assets and expenses grow with debits, the rest with credits.
enum class AccountType { kAsset, kLiability, kEquity, kRevenue, kExpense };
inline constexpr EnumText<AccountType, 5> kAccountTypes({"asset", "liability", "equity", "revenue", "expense"});

struct Account {
    std::string code;
    std::string name;
    AccountType type = AccountType::kAsset;
    nlohmann::json ToJson() const { return {{"code", code}, {"name", name}, {"type", kAccountTypes.Name(type)}}; }
};

/// The chart every tenant starts with (the codes above).
const std::vector<Account>& DefaultChart();

}  // namespace kiln::ledger
