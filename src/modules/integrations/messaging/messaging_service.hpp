#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "jobs/job_handler.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/integrations/messaging/message.hpp"

namespace kiln::integrations {

/// Email and SMS through the tenant's providers (SendGrid or SES for email, Twilio for SMS; the
/// tenant picks one by making it the default of its capability, or a caller names one).
///
/// A send has no idempotency key at any of these providers, so Kiln sends at most once: a message
/// row is claimed (queued → sending) in a short transaction before the provider is called, the call
/// runs outside any transaction, and its outcome is recorded in another short one. An attempt that
/// dies between the claim and the record leaves the message `sending`, and nothing sends it again
/// (the provider may have accepted it); it is then reported as failed.
class MessagingService final {
  public:
    static constexpr std::string_view kSendEmailJob = "message.send_email";
    static constexpr std::string_view kSendSmsJob = "message.send_sms";
    /// Attempts of a send job; only failures where the provider never answered are retried.
    static constexpr int kSendAttempts = 5;

    explicit MessagingService(const IntegrationService& integrations) : integrations_(integrations) {}

    const IntegrationService& integrations() const { return integrations_; }

    /// Sends now: chooses the integration (`integration_id`, else the tenant's default email
    /// integration), records the message, calls the provider outside any transaction and records the
    /// outcome. A ProviderError is recorded (status `failed` and the error) and rethrown. With an
    /// `idempotency_key` (unique per tenant) a second call finds the first call's message and does
    /// not send again: it returns the message when it was sent, and throws when it failed.
    Message SendEmail(db::Database& db, const TenantId& tenant, const EmailMessage& message, const std::string& source,
                      const std::optional<std::string>& integration_id,
                      const std::optional<std::string>& idempotency_key = std::nullopt) const;
    Message SendSms(db::Database& db, const TenantId& tenant, const SmsMessage& message, const std::string& source,
                    const std::optional<std::string>& integration_id,
                    const std::optional<std::string>& idempotency_key = std::nullopt) const;

    /// A new message row for `integration`, queued, not stored. `request` is the API body (see
    /// EmailFromRequest / SmsFromRequest) and is kept with the message.
    static Message NewMessage(const std::string& channel, const Integration& integration, nlohmann::json request,
                              const std::string& source);

    /// Calls the provider for `message` (not stored by this call) inside a request of `tenant` (an
    /// OutboundGate slot, the short in-request timeout) and writes the outcome into it: the
    /// provider's id and status and sent_at, or `failed` with the error, after which the
    /// ProviderError is rethrown. For callers that own the transaction the row goes into.
    void Deliver(const TenantId& tenant, const Integration& integration, EmailMessage email, Message& message) const;
    void Deliver(const TenantId& tenant, const Integration& integration, const SmsMessage& sms, Message& message) const;

    /// Registers the job kinds that send queued messages (`message.send_email`, `message.send_sms`;
    /// payload {"message_id"}).
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const;

    /// Whether a failed send may be tried again: the provider never answered (connection refused,
    /// circuit open, no response) or it asked Kiln to slow down. An answer of any other kind (a 5xx
    /// included) may have come after the message was accepted, so it is not retried.
    static bool WorthRetrying(const ProviderError& error);

  private:
    /// Calls the provider for the message with this id.
    using Send = std::function<SentMessage(Connection&, const MessageId&)>;

    /// Calls `send` on a fresh connection (an in-request one when `in_request_of` names the tenant)
    /// and fills in the outcome (see Deliver).
    void Call(const Integration& integration, const Send& send, Message& message,
              const std::optional<TenantId>& in_request_of = std::nullopt) const;
    /// Claims the stored queued `message`, sends it and records the outcome in short transactions of
    /// its own. On a failure WorthRetrying accepts and `last_attempt` is false, the message goes back
    /// to `queued` (with the error) instead of `failed`. Rethrows the provider's error.
    Message Dispatch(db::Database& db, const TenantId& tenant, const Message& message, const Integration& integration,
                     const Send& send, bool last_attempt) const;
    /// SendEmail and SendSms after the message was built.
    Message SendNow(db::Database& db, const TenantId& tenant, const std::string& channel, nlohmann::json request,
                    const std::string& source, const std::optional<std::string>& integration_id,
                    const std::optional<std::string>& idempotency_key, const Send& send) const;
    /// The job: sends the queued message named by the payload.
    void RunSendJob(const jobs::JobContext& job, const std::string& channel) const;

    const IntegrationService& integrations_;
};

/// The request body of an EmailMessage / SmsMessage as the API takes it (names of addresses, the
/// sender, reply-to and tags are not part of it).
nlohmann::json EmailRequest(const EmailMessage& message);
nlohmann::json SmsRequest(const SmsMessage& message);

}  // namespace kiln::integrations
