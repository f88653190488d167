#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

using SignatureRequestId = TypedId<struct SignatureRequestIdTag>;

/// An envelope sent for signature through the tenant's signature provider (DocuSign), optionally
/// about one of Kiln's objects (entity_type/entity_id, e.g. a sales order).
struct SignatureRequest {
    SignatureRequestId id;
    IntegrationId integration_id;
    std::optional<std::string> envelope_id;
    std::string status;  // the provider's word: sent, delivered, signed, completed, declined, voided
    std::string subject;
    std::optional<std::string> message;
    nlohmann::json documents = nlohmann::json::array();  // [{"name"}]: the content stays with the provider
    nlohmann::json signers = nlohmann::json::array();    // [{"email", "name", "routing_order"}]
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::optional<std::string> error;
    Timestamp created_at;
    Timestamp updated_at;
    std::optional<Timestamp> completed_at;

    nlohmann::json ToJson() const;
};

/// Where an envelope status stands, for forward-only updates: created < sent < delivered < signed <
/// the final words (completed, declined, voided), which nothing replaces. nullopt for other words.
std::optional<int> EnvelopeStatusRank(const std::string& status);

}  // namespace kiln::integrations
