#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "db/database.hpp"
#include "modules/integrations/inbound/inbound_event_repository.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

/// What an inbound event did, stored with it.
struct InboundOutcome {
    std::string state;  // processed or ignored
    nlohmann::json result;
};

/// An event Kiln does not act on, and why.
InboundOutcome IgnoredEvent(const std::string& why);

/// Applies a verified provider event to Kiln, in the caller's transaction, through its provider's ApplyInbound:
/// payment succeeded, failed or refunded (with ledger postings), message and envelope status, store orders and
/// products. State only moves forward, so a late or repeated event changes nothing.
InboundOutcome ApplyInboundEvent(const db::TenantScope& scope, const Integration& integration,
                                 const InboundEvent& event);

}  // namespace kiln::integrations
