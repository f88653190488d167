#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace kiln::integrations {

using InboundEventId = TypedId<struct InboundEventIdTag>;

/// One event a provider sent to an integration's hook, verified and stored before it is acted on.
struct InboundEvent {
    InboundEventId id;
    std::string integration_id;
    std::string provider;
    std::string provider_event_id;  // the provider's id: what makes a replay recognisable
    std::string event_type;
    std::string payload;             // the event's JSON as received
    std::string state = "received";  // received, processed, ignored, failed
    std::optional<nlohmann::json> result;
    Timestamp received_at;
    std::optional<Timestamp> processed_at;
    nlohmann::json ToJson() const;
};

class InboundEventRepository final {
  public:
    /// Stores the event unless the integration already has one with its provider event id; true
    /// when this call stored it.
    static bool InsertIfNew(const db::TenantScope& scope, const InboundEvent& event);
    static std::optional<InboundEvent> Find(const db::TenantScope& scope, const InboundEventId& id);
    static void Finish(const db::TenantScope& scope, const InboundEventId& id, const std::string& state,
                       const nlohmann::json& result);
};

}  // namespace kiln::integrations
