#pragma once

#include <cstdint>

#include "db/database.hpp"
#include "modules/notifications/notification_repository.hpp"

namespace kiln::notifications {

/// What other modules (workflow actions, plugins) ask of notifications: telling a tenant's users something.
class NotificationService final {
  public:
    /// Stores one notification per recipient in the caller's transaction; returns how many were new (a repeat
    /// under the same dedupe key counts 0).
    static int64_t Notify(const db::TenantScope& scope, const Recipients& to, const NewNotification& notice) {
        return NotificationRepository::Notify(scope, to, notice);
    }
};

}  // namespace kiln::notifications
