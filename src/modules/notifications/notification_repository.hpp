#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace kiln::notifications {

using NotificationId = TypedId<struct NotificationIdTag>;

struct Notification {
    NotificationId id;
    UserId user_id;
    std::string kind;  // what produced it: "workflow", "webhook", …
    std::string title;
    std::string body;
    std::optional<std::string> link;
    nlohmann::json data = nlohmann::json::object();
    std::optional<Timestamp> read_at;
    Timestamp created_at;

    nlohmann::json ToJson() const;
};

/// What to tell, before it is addressed to anyone.
struct NewNotification {
    std::string kind;
    std::string title;
    std::string body;
    std::optional<std::string> link;
    nlohmann::json data = nlohmann::json::object();
    /// The same notice sent twice under one key (a retried job) is stored once per user.
    std::optional<std::string> dedupe_key;
};

/// Who receives a notice: members holding any of `roles`, plus the members among `user_ids`.
/// Users who are not members of the tenant are never notified.
struct Recipients {
    std::vector<std::string> roles;
    std::vector<std::string> user_ids;
};

/// In-app notifications: each belongs to one user within one tenant, and only that user reads
/// them (whatever their role), like their own API tokens.
class NotificationRepository final {
  public:
    /// Stores one notification per recipient; returns how many were new (a repeat under the same
    /// dedupe key counts 0).
    static int64_t Notify(const db::TenantScope& scope, const Recipients& to, const NewNotification& notice);

    /// The user's notifications, newest first, up to limit + 1 rows.
    static std::vector<Notification> List(const db::TenantScope& scope, const UserId& user, bool unread_only,
                                          const std::optional<std::string>& before_id, int64_t limit);
    static int64_t UnreadCount(const db::TenantScope& scope, const UserId& user);
    /// Marks one read (keeping the first read time); nullopt when the user has no such notification.
    static std::optional<Notification> MarkRead(const db::TenantScope& scope, const UserId& user,
                                                const NotificationId& id, Timestamp now);
    /// Returns how many were unread.
    static int64_t MarkAllRead(const db::TenantScope& scope, const UserId& user, Timestamp now);
};

}  // namespace kiln::notifications
