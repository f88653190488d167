#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "http/pagination.hpp"
#include "modules/integrations/messaging/message.hpp"

namespace kiln::integrations {

/// The `messages` table, tenant-scoped.
class MessageRepository final {
  public:
    struct Filter {
        std::optional<std::string> channel;
        std::optional<std::string> status;
    };

    static void Insert(const db::TenantScope& scope, const Message& message);
    /// Inserts `message` unless the tenant already has one with its idempotency key; returns the
    /// stored message either way and whether it is the new one.
    static std::pair<Message, bool> InsertOnce(const db::TenantScope& scope, const Message& message);
    static std::optional<Message> Find(const db::TenantScope& scope, const MessageId& id);
    /// Newest first, up to page.limit + 1 rows (PageResponse drops the extra one).
    static std::vector<Message> List(const db::TenantScope& scope, const Filter& filter, const http::PageRequest& page);

    /// Sets the status and error whatever they were: for Kiln's own steps (a failure, a retry).
    static void UpdateStatus(const db::TenantScope& scope, const MessageId& id, const std::string& status,
                             const std::optional<std::string>& error);
    /// queued → sending, only when the message is queued and was never sent: the caller that gets
    /// true is the one that may call the provider.
    static bool Claim(const db::TenantScope& scope, const MessageId& id);
    /// The provider accepted the message: its id, its first status word, sent_at; the error is cleared.
    static void RecordSent(const db::TenantScope& scope, const MessageId& id,
                           const std::optional<std::string>& provider_message_id, const std::string& status,
                           Timestamp sent_at);

    /// A provider's status report (delivery callback, event webhook) for the message it knows by
    /// `provider_message_id`. Forward only (MessageStatusRank): a late "sent" after "delivered", or
    /// anything after a terminal failure, changes nothing. `stored_id` also matches: the form Kiln
    /// stored, where the provider's reports extend it (SendGrid's `sg_message_id` starts with the
    /// X-Message-Id). Returns whether a message changed; false for an unknown id or status word.
    static bool UpdateStatusByProviderId(const db::TenantScope& scope, const std::string& provider,
                                         const std::string& provider_message_id, const std::string& stored_id,
                                         const std::string& status, const std::optional<std::string>& error);
};

}  // namespace kiln::integrations
