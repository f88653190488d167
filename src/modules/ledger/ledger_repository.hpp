#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/events/event_types.hpp"
#include "modules/ledger/ledger_posting.hpp"

namespace kiln::ledger {

struct Account {
    std::string code;
    std::string name;
    std::string type;  // asset, liability, equity, revenue or expense
    nlohmann::json ToJson() const { return {{"code", code}, {"name", name}, {"type", type}}; }
};

/// The chart every tenant starts with (the codes of ledger_posting.hpp).
const std::vector<Account>& DefaultChart();
/// The tenant's accounts by code; the default chart when none was created yet (reads never write).
std::vector<Account> ListAccounts(const db::TenantScope& scope);
/// Creates the default chart if the tenant has no accounts yet.
void EnsureChart(const db::TenantScope& scope);

/// "2026-11" for any instant of November 2026 (UTC).
std::string MonthOf(Timestamp t);
bool IsMonthClosed(const db::TenantScope& scope, const std::string& month);

/// Declares journal_entry.posted and accounting_period.closed|reopened. Idempotent.
void DeclareLedgerEvents(events::EventTypeRegistry& registry);

/// Post() with the request id the event carries.
PostedEntry PostWithRequest(const db::TenantScope& scope, const JournalEntryDraft& draft,
                            const std::string& request_id);

/// The entry as the API shows it, with its lines; nullopt when the tenant has no such entry.
std::optional<nlohmann::json> FindEntry(const db::TenantScope& scope, const std::string& id);

}  // namespace kiln::ledger
