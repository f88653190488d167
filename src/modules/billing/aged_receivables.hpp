#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace kiln::billing {

/// What customers owe on issued invoices at a day, by how long it is overdue (from the due date, or the issue date
/// when there is none): not yet due, 1–30, 31–60, 61–90 and more than 90 days.
struct AgedReceivables {
    static constexpr std::array<const char*, 5> kBuckets = {"current", "days_1_30", "days_31_60", "days_61_90",
                                                            "days_over_90"};
    struct Row {
        std::string customer_id;
        std::string customer_name;
        std::string currency;
        std::array<Money, 5> buckets;
        Money total;
    };
    Timestamp as_of;          // the start of the day after the one asked for
    std::vector<Row> rows;    // by customer name, then currency
    std::vector<Row> totals;  // one per currency, customer fields empty

    static AgedReceivables At(const db::TenantScope& scope, Timestamp as_of);
    nlohmann::json ToJson() const;
    std::string ToCsv() const;
};

}  // namespace kiln::billing
