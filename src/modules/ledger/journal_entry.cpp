#include "modules/ledger/journal_entry.hpp"

namespace kiln::ledger {

nlohmann::json JournalEntry::ToJson() const {
    nlohmann::json out = {{"id", id.str()},
                          {"number", number},
                          {"posted_at", FormatTimestamp(posted_at)},
                          {"currency", currency},
                          {"memo", memo},
                          {"source_type", source_type},
                          {"source_id", source_id},
                          {"posting_key", posting_key},
                          {"total_debit", total_debit},
                          {"total_credit", total_credit},
                          {"created_at", FormatTimestamp(created_at)},
                          {"lines", nlohmann::json::array()}};
    int64_t line_no = 0;
    for (const auto& line : lines)
        out["lines"].push_back({{"line_no", ++line_no},
                                {"account_code", line.account_code},
                                {"debit", line.debit},
                                {"credit", line.credit},
                                {"memo", line.memo}});
    return out;
}

}  // namespace kiln::ledger
