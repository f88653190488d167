#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace kiln::webhooks {

using SubscriptionId = TypedId<struct SubscriptionIdTag>;

/// A tenant's endpoint for events. The secrets are held decrypted only in memory.
struct Subscription {
    SubscriptionId id;
    std::optional<std::string> integration_id;
    std::string target_url;
    std::string description;
    std::vector<std::string> events;  // patterns: "invoice.paid", "invoice.*", "*"
    std::string secret;
    std::string secret_hint;
    std::optional<std::string> previous_secret;
    std::optional<Timestamp> previous_secret_expires_at;
    /// Seconds before each attempt, when the tenant chose its own; else the platform's schedule.
    std::optional<std::vector<int64_t>> retry_schedule;
    bool is_active = true;
    std::optional<std::string> disabled_reason;
    std::optional<Timestamp> disabled_at;
    std::optional<Timestamp> failing_since;
    Timestamp created_at;
    Timestamp updated_at;

    /// The secrets that sign a message sent at `now`: the current one, and the previous one while
    /// its grace period lasts.
    std::vector<std::string> SigningSecrets(Timestamp now) const;
    /// Never includes a secret, only its hint.
    nlohmann::json ToJson() const;
};

}  // namespace kiln::webhooks
