#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "db/database.hpp"

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
    std::string posting_key;  // unique per tenant, e.g. "invoice:<id>:issued"; see Post()
    std::vector<JournalLine> lines;
};

struct PostedEntry {
    std::string id;
    std::string number;  // e.g. "JE-000001"
};

/// Posts an entry in the caller's transaction. Creates the tenant's chart of accounts on first
/// use. Throws ValidationError (unbalanced, empty, unknown account, negative amounts, overflow)
/// or Conflict (the posting date falls in a closed period). Idempotent per posting_key: posting
/// the same key twice returns the first entry and writes nothing.
PostedEntry Post(const db::TenantScope& scope, const JournalEntryDraft& draft);

}  // namespace kiln::ledger
