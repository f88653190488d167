#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_text.hpp"

namespace kiln::ledger {

/// Which side of the books an account is on: assets and expenses grow with debits, the rest with credits.
/// `revenue` is the income type (the name the API has always used).
enum class AccountType { kAsset, kLiability, kEquity, kRevenue, kExpense };
inline constexpr EnumText<AccountType, 5> kAccountTypes({"asset", "liability", "equity", "revenue", "expense"});

/// Whether a debit grows the account's balance (assets, expenses) or a credit does (the rest).
constexpr bool DebitNormal(AccountType type) {
    return type == AccountType::kAsset || type == AccountType::kExpense;
}

struct Account {
    std::string code;
    std::string name;
    AccountType type = AccountType::kAsset;
    std::optional<std::string> parent_code;  // for grouping in reports; same type as this one
    bool active = true;                      // an inactive account takes no new postings
    nlohmann::json ToJson() const;
};

/// The chart every tenant starts with. Accounts of it the tenant has not stored yet are listed all the same, and
/// stored before the first write that needs them.
const std::vector<Account>& DefaultChart();

/// What each kind of posting goes to. Configurable per tenant (`/ledger/settings`); DefaultCode() when not set.
enum class PostingPurpose {
    kCash,
    kBank,
    kReceivable,
    kInventory,
    kTaxPayable,
    kRevenue,
    kRefunds,
    kCostOfGoodsSold,
    kGatewayFees,
    kRetainedEarnings
};
inline constexpr EnumText<PostingPurpose, 10> kPostingPurposes({"cash", "bank", "receivable", "inventory",
                                                                "tax_payable", "revenue", "refunds",
                                                                "cost_of_goods_sold", "gateway_fees",
                                                                "retained_earnings"});
/// The account of the default chart a purpose posts to, and the type an account must have to serve it.
std::string_view DefaultCode(PostingPurpose purpose);
AccountType RequiredType(PostingPurpose purpose);

/// The tenant's account for each purpose.
class PostingAccounts {
  public:
    PostingAccounts();  // the default chart's
    const std::string& of(PostingPurpose purpose) const { return codes_.at(static_cast<size_t>(purpose)); }
    void Set(PostingPurpose purpose, std::string code) { codes_.at(static_cast<size_t>(purpose)) = std::move(code); }
    nlohmann::json ToJson() const;

  private:
    std::array<std::string, 10> codes_;
};

}  // namespace kiln::ledger
