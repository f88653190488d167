#include "modules/ledger/account.hpp"

namespace kiln::ledger {

const std::vector<Account>& DefaultChart() {
    static const std::vector<Account> chart = {
        {std::string(accounts::kCash), "Cash", AccountType::kAsset},
        {std::string(accounts::kBank), "Bank", AccountType::kAsset},
        {std::string(accounts::kAccountsReceivable), "Accounts receivable", AccountType::kAsset},
        {std::string(accounts::kTaxPayable), "Tax payable", AccountType::kLiability},
        {std::string(accounts::kRevenue), "Revenue", AccountType::kRevenue},
        {std::string(accounts::kRefunds), "Refunds", AccountType::kRevenue},
        {std::string(accounts::kGatewayFees), "Gateway fees", AccountType::kExpense},
    };
    return chart;
}

}  // namespace kiln::ledger
