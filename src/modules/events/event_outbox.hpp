#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace kiln::events {

struct RecordedEvent {
    std::string id;
    int64_t sequence;
};

/// An event as stored in the outbox.
struct StoredEvent {
    std::string id;
    std::string tenant_id;
    std::string type;
    std::string ordering_key;
    int64_t sequence = 0;
    nlohmann::json data;
    std::string request_id;
    nlohmann::json timestamp;  // ISO 8601 string
    /// {"id", "type", "tenant_id", "ordering_key", "sequence", "timestamp", "data", "request_id"}: the
    /// shape GET /events lists and consumers (workflows, webhooks) receive.
    nlohmann::json ToJson() const;
};

/// Writes events into the outbox, in the caller's transaction, so an event exists exactly when
/// the change it reports was committed. Nothing is ever sent from inside a business transaction:
/// recording also enqueues the event's `event.dispatch` job (see EventDispatcher), which runs
/// after the commit.
class EventOutbox final {
  public:
    /// `ordering_key` names the object the event is about ("product:<id>"); the returned sequence
    /// is 1, 2, 3, … per ordering key within the tenant. Throws std::logic_error for a type no
    /// module declared.
    static RecordedEvent Record(const db::TenantScope& scope, const std::string& type, const std::string& ordering_key,
                                const nlohmann::json& data, const std::string& request_id);

    static std::optional<StoredEvent> Find(const db::TenantScope& scope, const std::string& id);

    /// Newest first, up to limit+1 rows with id < before_id, optionally of one type.
    static std::vector<StoredEvent> List(const db::TenantScope& scope, const std::optional<std::string>& type,
                                         const std::optional<std::string>& before_id, int64_t limit);
};

}  // namespace kiln::events
