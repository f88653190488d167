#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace kiln::ledger {

using JournalEntryId = TypedId<struct JournalEntryIdTag>;

struct JournalLine {
    std::string account_code;
    int64_t debit = 0;  // minor units; exactly one of debit/credit is positive
    int64_t credit = 0;
    std::string memo;
};

/// A balanced entry to post: debits must equal credits, in one currency.
struct JournalEntryDraft {
    Timestamp posted_at;   // the accounting date; refused when its month is closed
    std::string currency;  // ISO 4217
    std::string memo;
    std::string source_type;  // "invoice", "payment", "refund", "manual"
    std::string source_id;    // the object the posting is about
    std::string posting_key;  // unique per tenant, e.g. "invoice:<id>:issued"; see LedgerService::Post()
    std::vector<JournalLine> lines;
};

/// A posted entry: never changed or deleted, corrected only by another entry.
struct JournalEntry {
    JournalEntryId id;
    std::string number;  // e.g. "JE-000001"
    Timestamp posted_at;
    std::string currency;
    std::string memo;
    std::string source_type;
    std::string source_id;
    std::string posting_key;
    int64_t total_debit = 0;
    int64_t total_credit = 0;
    Timestamp created_at;
    std::vector<JournalLine> lines;
    nlohmann::json ToJson() const;
};

}  // namespace kiln::ledger
