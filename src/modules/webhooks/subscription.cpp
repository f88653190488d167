#include "modules/webhooks/subscription.hpp"

namespace kiln::webhooks {

namespace {

nlohmann::json OptionalTime(const std::optional<Timestamp>& t) {
    return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<std::string> Subscription::SigningSecrets(Timestamp now) const {
    std::vector<std::string> secrets = {secret};
    if (previous_secret && previous_secret_expires_at && now < *previous_secret_expires_at)
        secrets.push_back(*previous_secret);
    return secrets;
}

nlohmann::json Subscription::ToJson() const {
    return {{"id", id.str()},
            {"integration_id", integration_id ? nlohmann::json(*integration_id) : nlohmann::json(nullptr)},
            {"target_url", target_url},
            {"description", description},
            {"events", events},
            {"secret_hint", secret_hint},
            {"previous_secret_expires_at", OptionalTime(previous_secret_expires_at)},
            {"retry_schedule", retry_schedule ? nlohmann::json(*retry_schedule) : nlohmann::json(nullptr)},
            {"is_active", is_active},
            {"disabled_reason", disabled_reason ? nlohmann::json(*disabled_reason) : nlohmann::json(nullptr)},
            {"disabled_at", OptionalTime(disabled_at)},
            {"failing_since", OptionalTime(failing_since)},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

}  // namespace kiln::webhooks
