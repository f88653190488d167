#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/time.hpp"

namespace kiln::ledger {

/// A month of the books (YYYY-MM). Only months that were ever closed have a row; the others are open.
struct AccountingPeriod {
    std::string month;
    std::optional<Timestamp> closed_at;  // nothing while open
    std::optional<std::string> closed_by;
    bool closed() const { return closed_at.has_value(); }
    nlohmann::json ToJson() const;
};

/// "2026-11" for any instant of November 2026 (UTC).
std::string MonthOf(Timestamp t);

}  // namespace kiln::ledger
