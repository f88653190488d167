#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"
#include "modules/integrations/inbound/inbound_effects.hpp"

namespace kiln::integrations {

/// Moves the message `provider` knows as `message_id` forward to `status` (never back), with the provider's error.
/// `stored_id` is the form Kiln stored when it sent the message, where the provider's events extend it (SendGrid).
InboundOutcome ApplyMessageStatus(const db::TenantScope& scope, const std::string& provider,
                                  const std::string& message_id, const std::string& stored_id,
                                  const std::string& status, const std::optional<std::string>& error);

}  // namespace kiln::integrations
