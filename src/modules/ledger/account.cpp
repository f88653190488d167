#include "modules/ledger/account.hpp"

namespace kiln::ledger {

namespace {

struct PurposeSpec {
    std::string_view code;
    AccountType type;
};

/// At the index of each PostingPurpose.
constexpr std::array<PurposeSpec, 10> kPurposeSpecs = {{
    {"1000", AccountType::kAsset},      // cash
    {"1010", AccountType::kAsset},      // bank
    {"1200", AccountType::kAsset},      // receivable
    {"1300", AccountType::kAsset},      // inventory
    {"2200", AccountType::kLiability},  // tax payable
    {"4000", AccountType::kRevenue},    // revenue
    {"4900", AccountType::kRevenue},    // refunds (contra-revenue)
    {"5000", AccountType::kExpense},    // cost of goods sold
    {"6100", AccountType::kExpense},    // gateway fees
    {"3900", AccountType::kEquity},     // retained earnings
}};

}  // namespace

nlohmann::json Account::ToJson() const {
    return {{"code", code},
            {"name", name},
            {"type", kAccountTypes.Name(type)},
            {"parent_code", parent_code ? nlohmann::json(*parent_code) : nlohmann::json(nullptr)},
            {"is_active", active}};
}

const std::vector<Account>& DefaultChart() {
    using T = AccountType;
    static const std::vector<Account> chart = {
        {"1000", "Cash", T::kAsset, std::nullopt, true},
        {"1010", "Bank", T::kAsset, std::nullopt, true},
        {"1200", "Accounts receivable", T::kAsset, std::nullopt, true},
        {"1300", "Inventory", T::kAsset, std::nullopt, true},
        {"2000", "Accounts payable", T::kLiability, std::nullopt, true},
        {"2200", "Tax payable", T::kLiability, std::nullopt, true},
        {"3000", "Owner's equity", T::kEquity, std::nullopt, true},
        {"3900", "Retained earnings", T::kEquity, std::nullopt, true},
        {"4000", "Revenue", T::kRevenue, std::nullopt, true},
        {"4900", "Refunds", T::kRevenue, std::nullopt, true},
        {"5000", "Cost of goods sold", T::kExpense, std::nullopt, true},
        {"6100", "Gateway fees", T::kExpense, std::nullopt, true},
        {"6900", "General expenses", T::kExpense, std::nullopt, true},
    };
    return chart;
}

std::string_view DefaultCode(PostingPurpose purpose) {
    return kPurposeSpecs.at(static_cast<size_t>(purpose)).code;
}

AccountType RequiredType(PostingPurpose purpose) {
    return kPurposeSpecs.at(static_cast<size_t>(purpose)).type;
}

PostingAccounts::PostingAccounts() {
    for (size_t i = 0; i < codes_.size(); ++i) codes_.at(i) = std::string(kPurposeSpecs.at(i).code);
}

nlohmann::json PostingAccounts::ToJson() const {
    nlohmann::json out = nlohmann::json::object();
    for (size_t i = 0; i < codes_.size(); ++i)
        out[kPostingPurposes.Name(static_cast<PostingPurpose>(i))] = codes_.at(i);
    return out;
}

}  // namespace kiln::ledger
