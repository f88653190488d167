#include "modules/integrations/inbound/message_status_effect.hpp"

#include "modules/integrations/messaging/message_repository.hpp"

namespace kiln::integrations {

InboundOutcome ApplyMessageStatus(const db::TenantScope& scope, const std::string& provider,
                                  const std::string& message_id, const std::string& stored_id,
                                  const std::string& status, const std::optional<std::string>& error) {
    if (message_id.empty() || status.empty()) return IgnoredEvent("the event names no message or status");
    const bool moved =
        MessageRepository::UpdateStatusByProviderId(scope, provider, message_id, stored_id, status, error);
    if (!moved) return IgnoredEvent("no message " + message_id + " that " + status + " moves forward");
    return {"processed", {{"provider_message_id", message_id}, {"status", status}}};
}

}  // namespace kiln::integrations
