#pragma once

#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "modules/integrations/inbound/inbound_event_repository.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

/// What an inbound event did, stored with it.
struct InboundOutcome {
    std::string state;  // processed or ignored
    nlohmann::json result;
};

/// Applies a verified provider event to Kiln, in the caller's transaction: payment succeeded,
/// failed or refunded (with ledger postings), message and envelope status, store orders and
/// products. State only moves forward, so a late or repeated event changes nothing.
InboundOutcome ApplyInboundEvent(const db::TenantScope& scope, const Integration& integration,
                                 const InboundEvent& event);

}  // namespace kiln::integrations
