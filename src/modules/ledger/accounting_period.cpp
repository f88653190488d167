#include "modules/ledger/accounting_period.hpp"

namespace kiln::ledger {

nlohmann::json AccountingPeriod::ToJson() const {
    return {{"month", month},
            {"status", closed() ? "closed" : "open"},
            {"closed_at", closed_at ? nlohmann::json(FormatTimestamp(*closed_at)) : nullptr},
            {"closed_by", closed_by ? nlohmann::json(*closed_by) : nullptr}};
}

std::string MonthOf(Timestamp t) {
    return FormatTimestamp(t).substr(0, 7);
}

}  // namespace kiln::ledger
