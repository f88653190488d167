#include "modules/integrations/messaging/messaging_service.hpp"

#include <functional>
#include <utility>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "modules/integrations/messaging/message_repository.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr const char* kInterrupted =
    "the attempt to send was interrupted before the provider's answer was recorded; not sent again, since the "
    "provider may have accepted it";

json AddressList(const std::vector<EmailAddress>& addresses) {
    json out = json::array();
    for (const auto& address : addresses) out.push_back(address.email);
    return out;
}

/// Why a message that was not sent will not be: for callers that expected a send.
Error NotSent(const Message& message) {
    return {ErrorCode::kUpstream,
            "message " + message.id.str() + " was not sent: " + message.error.value_or("unknown error")};
}

std::optional<Message> Reload(db::Database& db, const TenantId& tenant, const MessageId& id) {
    auto tx = db.Begin({db::Access::kReadOnly, db::Visibility::kTenant});
    return MessageRepository::Find(db::TenantScope(tx, tenant), id);
}

void SetStatus(db::Database& db, const TenantId& tenant, const MessageId& id, const std::string& status,
               const std::optional<std::string>& error) {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    MessageRepository::UpdateStatus(db::TenantScope(tx, tenant), id, status, error);
    tx.Commit();
}

/// Sends `email` tagged with the message's id, which the provider's events (SendGrid custom_args, SES
/// tags) carry back, tying them to the row.
std::function<SentMessage(Connection&, const MessageId&)> EmailSend(EmailMessage email) {
    return [email = std::move(email)](Connection& connection, const MessageId& id) {
        EmailMessage tagged = email;
        tagged.tags["kiln_message_id"] = id.str();
        return connection.email().Send(tagged);
    };
}

}  // namespace

json EmailRequest(const EmailMessage& message) {
    json request = {{"to", AddressList(message.to)}, {"subject", message.subject}};
    if (!message.cc.empty()) request["cc"] = AddressList(message.cc);
    if (!message.bcc.empty()) request["bcc"] = AddressList(message.bcc);
    if (!message.text.empty()) request["text"] = message.text;
    if (!message.html.empty()) request["html"] = message.html;
    if (!message.template_id.empty()) {
        request["template_id"] = message.template_id;
        request["template_data"] = message.template_data;
    }
    if (!message.attachments.empty()) {
        json attachments = json::array();
        for (const auto& attachment : message.attachments)
            attachments.push_back({{"filename", attachment.filename},
                                   {"content_type", attachment.content_type},
                                   {"content_base64", crypto::Base64Encode(attachment.content)}});
        request["attachments"] = std::move(attachments);
    }
    return request;
}

json SmsRequest(const SmsMessage& message) {
    return {{"to", message.to}, {"body", message.body}};
}

bool MessagingService::WorthRetrying(const ProviderError& error) {
    // status() is 0 when no HTTP answer came (or the circuit breaker refused the call).
    return error.kind() == ProviderError::Kind::kRateLimited ||
           (error.kind() == ProviderError::Kind::kUnavailable && error.status() == 0);
}

Message MessagingService::NewMessage(const std::string& channel, const Integration& integration, json request,
                                     const std::string& source) {
    const Timestamp now = Now();
    Message message{.id = MessageId(NewUuidV7()),
                    .channel = channel,
                    .integration_id = integration.id,
                    .provider = integration.type,
                    .status = "queued",
                    .source = source,
                    .created_at = now,
                    .updated_at = now};
    if (channel == "email") {
        message.recipients = EmailRecipients(request);
        if (const std::string subject = request.value("subject", ""); !subject.empty()) message.subject = subject;
    } else {
        message.recipients = {{"to", json::array({request.value("to", "")})}};
    }
    message.request = std::move(request);
    return message;
}

void MessagingService::Call(const Integration& integration, const Send& send, Message& message,
                            const std::optional<TenantId>& in_request_of) const {
    // Taken before the try: a refused slot is no provider failure, and the message was not sent.
    const auto connection = in_request_of ? integrations_.ConnectInRequest(*in_request_of, integration)
                                          : integrations_.Connect(integration);
    try {
        const SentMessage sent = send(*connection, message.id);
        message.provider_message_id =
            sent.provider_message_id.empty() ? std::nullopt : std::optional(sent.provider_message_id);
        message.status = sent.status.empty() ? "sent" : sent.status;
        message.sent_at = Now();
        message.error.reset();
    } catch (const ProviderError& e) {
        message.status = "failed";
        message.error = e.detail();
        message.updated_at = Now();
        throw;
    }
    message.updated_at = Now();
}

void MessagingService::Deliver(const TenantId& tenant, const Integration& integration, EmailMessage email,
                               Message& message) const {
    Call(integration, EmailSend(std::move(email)), message, tenant);
}

void MessagingService::Deliver(const TenantId& tenant, const Integration& integration, const SmsMessage& sms,
                               Message& message) const {
    Call(
        integration, [&sms](Connection& connection, const MessageId&) { return connection.sms().Send(sms); }, message,
        tenant);
}

Message MessagingService::Dispatch(db::Database& db, const TenantId& tenant, const Message& message,
                                   const Integration& integration, const Send& send, bool last_attempt) const {
    {
        auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const bool claimed = MessageRepository::Claim(db::TenantScope(tx, tenant), message.id);
        tx.Commit();
        // Someone else holds it (a concurrent run) or it is done: whatever it is now is the answer.
        if (!claimed) return Reload(db, tenant, message.id).value_or(message);
    }
    Message outcome = message;
    try {
        Call(integration, send, outcome);
    } catch (const ProviderError& e) {
        if (WorthRetrying(e) && !last_attempt) {
            SetStatus(db, tenant, message.id, "queued", e.detail() + " (will be retried)");
        } else {
            SetStatus(db, tenant, message.id, "failed", e.detail());
        }
        throw;
    } catch (const std::exception& e) {
        // Not the provider's answer (e.g. the integration can no longer do this): nothing was sent.
        SetStatus(db, tenant, message.id, "failed", e.what());
        throw;
    }
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    const db::TenantScope scope(tx, tenant);
    MessageRepository::RecordSent(scope, message.id, outcome.provider_message_id, outcome.status, *outcome.sent_at);
    auto stored = MessageRepository::Find(scope, message.id);
    tx.Commit();
    return stored.value_or(outcome);
}

Message MessagingService::SendNow(db::Database& db, const TenantId& tenant, const std::string& channel, json request,
                                  const std::string& source, const std::optional<std::string>& integration_id,
                                  const std::optional<std::string>& idempotency_key, const Send& send) const {
    Message message;
    Integration integration;
    bool created = true;
    {
        auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, tenant);
        integration = integrations_.Choose(scope, integration_id, channel);
        Message fresh = NewMessage(channel, integration, std::move(request), source);
        fresh.idempotency_key = idempotency_key;
        std::tie(message, created) = MessageRepository::InsertOnce(scope, fresh);
        if (!created) {
            // An earlier call with this key: it goes on with the integration it chose.
            std::optional<Integration> earlier;
            if (message.integration_id) earlier = integrations_.repository().Find(scope, *message.integration_id);
            if (earlier) integration = *earlier;
        }
        tx.Commit();
    }
    if (!created) {
        if (message.sent_at) return message;
        if (message.status == "sending") {
            SetStatus(db, tenant, message.id, "failed", kInterrupted);
            message.error = kInterrupted;
            throw NotSent(message);
        }
        if (message.status != "queued") throw NotSent(message);
        // Still queued: the earlier attempt never reached the provider, so this one may send.
    }
    // Without a key nothing will try again, so every failure is final.
    Message sent = Dispatch(db, tenant, message, integration, send, !idempotency_key.has_value());
    if (!sent.sent_at && sent.status != "sending") throw NotSent(sent);
    return sent;
}

Message MessagingService::SendEmail(db::Database& db, const TenantId& tenant, const EmailMessage& message,
                                    const std::string& source, const std::optional<std::string>& integration_id,
                                    const std::optional<std::string>& idempotency_key) const {
    return SendNow(db, tenant, "email", EmailRequest(message), source, integration_id, idempotency_key,
                   EmailSend(message));
}

Message MessagingService::SendSms(db::Database& db, const TenantId& tenant, const SmsMessage& message,
                                  const std::string& source, const std::optional<std::string>& integration_id,
                                  const std::optional<std::string>& idempotency_key) const {
    return SendNow(db, tenant, "sms", SmsRequest(message), source, integration_id, idempotency_key,
                   [&message](Connection& connection, const MessageId&) { return connection.sms().Send(message); });
}

void MessagingService::RunSendJob(const jobs::JobContext& job, const std::string& channel) const {
    const MessageId id(job.payload.at("message_id").get<std::string>());
    std::optional<Message> message;
    std::optional<Integration> integration;
    {
        auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job.tenant);
        message = MessageRepository::Find(scope, id);
        if (!message || message->channel != channel || message->sent_at) return;  // gone, or done already
        if (message->status == "sending") {
            // An earlier attempt died while calling the provider.
            MessageRepository::UpdateStatus(scope, id, "failed", kInterrupted);
            tx.Commit();
            return;
        }
        if (message->status != "queued") return;
        if (message->integration_id) integration = integrations_.repository().Find(scope, *message->integration_id);
        if (!integration || integration->status == "inactive") {
            MessageRepository::UpdateStatus(
                scope, id, "failed", integration ? "the integration is inactive" : "the integration was deleted");
            tx.Commit();
            return;
        }
    }
    Send send;
    if (channel == "email") {
        send = EmailSend(EmailFromRequest(message->request));
    } else {
        send = [sms = SmsFromRequest(message->request)](Connection& connection, const MessageId&) {
            return connection.sms().Send(sms);
        };
    }
    const bool last_attempt = job.attempt >= kSendAttempts;
    try {
        Dispatch(job.db, job.tenant, *message, *integration, send, last_attempt);
    } catch (const ProviderError& e) {
        if (WorthRetrying(e) && !last_attempt) throw;  // the job backs off and tries again
        // Recorded on the message; retrying could send twice.
        log::Warn("message not sent",
                  {{"message_id", id.str()}, {"provider", message->provider}, {"error", e.detail()}});
    }
}

void MessagingService::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    // By value: the service is a handle on the integrations, and the registry outlives this object.
    registry.Register(std::string(kSendEmailJob),
                      [messaging = *this](const jobs::JobContext& job) { messaging.RunSendJob(job, "email"); });
    registry.Register(std::string(kSendSmsJob),
                      [messaging = *this](const jobs::JobContext& job) { messaging.RunSendJob(job, "sms"); });
}

}  // namespace kiln::integrations
