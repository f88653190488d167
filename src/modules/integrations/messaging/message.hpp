#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

using MessageId = TypedId<struct MessageIdTag>;

/// One email or SMS sent (or to be sent) through a provider, as the `messages` table keeps it.
///
/// Life of a message: `queued` (stored, not yet handed to the provider) → `sending` (a worker has
/// claimed it and is calling the provider) → the provider's first word (`queued`, `accepted`, …;
/// `sent_at` set) → later words from the provider's status callbacks, forward only. A send the
/// provider refused, or one that cannot be retried, ends `failed` with the error.
struct Message {
    MessageId id;
    std::string channel;  // email, sms
    std::optional<IntegrationId> integration_id;
    std::string provider;  // the integration's type: sendgrid, ses, twilio
    std::optional<std::string> provider_message_id;
    std::string status = "queued";
    nlohmann::json recipients = nlohmann::json::object();  // {"to": [...], "cc": [...], "bcc": [...]}
    std::optional<std::string> subject;
    std::string source;  // api, test, workflow
    std::optional<std::string> error;
    nlohmann::json request;  // the API body the message is sent from; null when not kept
    std::optional<std::string> idempotency_key;
    std::optional<Timestamp> sent_at;
    Timestamp created_at;
    Timestamp updated_at;

    /// The API form: without the stored request (attachments can be large, and the content is the
    /// tenant's business) and without the idempotency key.
    nlohmann::json ToJson() const;
};

/// Where a status word stands in a message's life, for forward-only updates: queued < accepted <
/// sending < sent < delivered < the terminal failures (failed, undelivered, bounced, dropped), which
/// nothing replaces. nullopt for a word outside this vocabulary.
std::optional<int> MessageStatusRank(const std::string& status);
/// Whether `status` ends the message's life: nothing moves it any further.
bool IsTerminalMessageStatus(const std::string& status);

// The request body of a message, in the API's shape, and back. The stored `request` column holds
// exactly this, so a queued message is sent from what the caller asked for.

/// {"to": [...], "cc"?, "bcc"?, "subject", "text"?, "html"?, "attachments"?: [{filename,
/// content_type, content_base64}], "template_id"?, "template_data"?}. Throws ValidationError (naming
/// the field) for an attachment whose content is not base64.
EmailMessage EmailFromRequest(const nlohmann::json& request);
nlohmann::json EmailRecipients(const nlohmann::json& request);
/// {"to", "body"}.
SmsMessage SmsFromRequest(const nlohmann::json& request);

/// A phone number in E.164 form: '+', then 2 to 15 digits, the first not 0.
bool IsE164(std::string_view number);

}  // namespace kiln::integrations
