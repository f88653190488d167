#pragma once

#include "modules/workflows/action_registry.hpp"

namespace kiln::egress {
class OutboundClient;
}

namespace kiln::workflows {

/// `create_notification`: an in-app notification to members by role and/or user id.
ActionType CreateNotificationAction();

/// `http_request`: one HTTP request through the product's SSRF-guarded outbound client. Only a
/// 2xx answer succeeds. `client` must outlive the registry.
ActionType HttpRequestAction(const egress::OutboundClient& client);

}  // namespace kiln::workflows
