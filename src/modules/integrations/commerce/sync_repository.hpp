#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

using SyncId = TypedId<struct SyncIdTag>;

/// The most item errors a sync keeps: enough to act on, bounded however broken the store's data is.
inline constexpr size_t kMaxSyncErrors = 100;

/// One run of a store sync (products or orders) and its progress, saved page by page.
struct IntegrationSync {
    SyncId id;
    IntegrationId integration_id;
    std::string kind;              // products, orders
    std::string state = "queued";  // queued, running, succeeded, failed
    int64_t pages = 0;
    int64_t items = 0;
    int64_t created = 0;
    int64_t updated = 0;
    nlohmann::json errors = nlohmann::json::array();      // [{"item", "message"}], at most kMaxSyncErrors
    std::optional<std::string> error;                     // why a failed sync stopped
    std::optional<std::string> since;                     // the store's updated_at asked from; absent = everything
    std::optional<std::string> cursor;                    // the store's position of the next page; absent = the first
    std::optional<std::string> newest_updated_at;         // of the items looked at so far
    std::optional<std::string> oldest_failed_updated_at;  // of the items that could not be applied
    std::optional<Timestamp> started_at;
    std::optional<Timestamp> finished_at;
    Timestamp created_at;

    bool finished() const { return state == "succeeded" || state == "failed"; }
    /// Adds an item error, keeping the first kMaxSyncErrors.
    void AddError(const std::string& item, const std::string& message);
    /// {id, integration_id, kind, state, pages, items, created, updated, errors, error, since, started_at,
    /// finished_at, created_at}: the cursor is the store's business, not the API's.
    nlohmann::json ToJson() const;
};

/// The `integration_syncs` table.
class SyncRepository final {
  public:
    /// An unfinished sync of the same kind for the integration exists → db::UniqueViolation.
    static void Insert(const db::TenantScope& scope, const IntegrationSync& sync);
    static std::optional<IntegrationSync> Find(const db::TenantScope& scope, const SyncId& id);
    /// The queued or running sync of `kind` for the integration, if any.
    static std::optional<IntegrationSync> FindUnfinished(const db::TenantScope& scope, const IntegrationId& integration,
                                                         const std::string& kind);
    /// Writes the state and progress (everything but the identity and what was asked).
    static void Update(const db::TenantScope& scope, const IntegrationSync& sync);
    /// The state of the job enqueued with `dedupe_key` (queued … dead); absent when there is no such job.
    static std::optional<std::string> JobState(const db::TenantScope& scope, const std::string& dedupe_key);
};

}  // namespace kiln::integrations
