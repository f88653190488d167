#include "modules/integrations/messaging/messaging_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "jobs/job_queue.hpp"
#include "modules/integrations/messaging/message_repository.hpp"
#include "modules/integrations/messaging/messaging_service.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr const char* kTestSubject = "Kiln test email";
constexpr const char* kTestText = "This is a test email from Kiln: the integration can send mail.";
constexpr size_t kMaxRecipients = 50;
constexpr size_t kMaxAttachments = 10;

std::optional<std::string> OptionalField(const json& body, const char* field) {
    if (!body.contains(field)) return std::nullopt;
    return body[field].get<std::string>();
}

/// Sends through the tenant's email provider inside the request, with the short in-request budget.
///
/// The message is recorded whatever the outcome. The dispatcher commits the request's transaction
/// only when the handler returns, and a failed send must reach the client as the provider's error
/// (502), so after a failure the handler writes the failed message and commits the request's
/// read-write transaction itself before rethrowing: the dispatcher then renders the error and has
/// nothing left to roll back. Nothing else is written on that path (the audit row is only for
/// successful requests), and the transaction is this request's own, so no other work commits with it.
http::Handler TestEmail(const MessagingService& messaging) {
    return [messaging](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        const Integration integration =
            messaging.integrations().Choose(ctx.scope(), OptionalField(body, "integration_id"), "email");
        json request = {{"to", json::array({body.at("to")})}, {"subject", body.value("subject", kTestSubject)}};
        if (body.contains("text") || !body.contains("html")) request["text"] = body.value("text", kTestText);
        if (body.contains("html")) request["html"] = body["html"];
        Message message = MessagingService::NewMessage("email", integration, request, "test");
        try {
            // No transaction is writing; a gate refusal (429/503) records nothing, as nothing was sent.
            messaging.Deliver(ctx.tenant(), integration, EmailFromRequest(request), message);
        } catch (const ProviderError&) {
            ctx.BeginWrites();
            MessageRepository::Insert(ctx.scope(), message);
            ctx.tx().Commit();
            throw;
        }
        ctx.BeginWrites();
        MessageRepository::Insert(ctx.scope(), message);
        ctx.Audit(
            "messages.test_email", message.id.str(),
            {{"integration_id", integration.id.str()}, {"provider", message.provider}, {"status", message.status}});
        return http::Response::Json(200, message.ToJson());
    };
}

http::Handler List() {
    return [](http::RequestContext& ctx) {
        const auto page = http::PageRequest::FromQuery(ctx);
        MessageRepository::Filter filter{.channel = ctx.Query("channel"), .status = ctx.Query("status")};
        std::vector<FieldError> errors;
        if (filter.channel && *filter.channel != "email" && *filter.channel != "sms")
            errors.push_back({"channel", "must be one of: email, sms"});
        if (filter.status && !MessageStatusRank(*filter.status))
            errors.push_back({"status", "is not a message status"});
        if (!errors.empty()) throw ValidationError(std::move(errors));
        json items = json::array();
        for (const auto& message : MessageRepository::List(ctx.scope(), filter, page))
            items.push_back(message.ToJson());
        return http::Response::Json(200, http::PageResponse(std::move(items), page));
    };
}

http::Handler Get() {
    return [](http::RequestContext& ctx) {
        const auto message = MessageRepository::Find(ctx.scope(), MessageId(ctx.IdParam("id")));
        if (!message) throw ctx.NotFoundError();
        return http::Response::Json(200, message->ToJson());
    };
}

/// Stores the message as queued with a job that sends it; the request never waits on the provider.
http::Response Enqueue(http::RequestContext& ctx, const IntegrationService& service, const std::string& channel,
                       json request) {
    const Integration integration = service.Choose(ctx.scope(), OptionalField(request, "integration_id"), channel);
    request.erase("integration_id");
    const Message message = MessagingService::NewMessage(channel, integration, std::move(request), "api");
    MessageRepository::Insert(ctx.scope(), message);
    jobs::JobQueue::Enqueue(
        ctx.scope(), std::string(channel == "email" ? MessagingService::kSendEmailJob : MessagingService::kSendSmsJob),
        {{"message_id", message.id.str()}},
        {.max_attempts = MessagingService::kSendAttempts, .dedupe_key = "message:" + message.id.str()});
    ctx.Audit("messages.send_" + channel, message.id.str(),
              {{"integration_id", integration.id.str()}, {"provider", message.provider}});
    return http::Response::Json(202, message.ToJson());
}

http::Handler SendEmail(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const json& body = ctx.body();
        std::vector<FieldError> errors;
        if (body.at("to").empty()) errors.push_back({"to", "must name at least one recipient"});
        if (body.value("text", "").empty() && body.value("html", "").empty() && body.value("template_id", "").empty())
            errors.push_back({"text", "text, html or template_id is required"});
        if (!errors.empty()) throw ValidationError(std::move(errors));
        EmailFromRequest(body);  // attachments must decode
        return Enqueue(ctx, service, "email", body);
    };
}

http::Handler SendSms(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const json& body = ctx.body();
        if (!IsE164(body.at("to").get<std::string>()))
            throw ValidationError("to", "must be a phone number in E.164 form, e.g. +14155550100");
        return Enqueue(ctx, service, "sms", body);
    };
}

http::Schema Addresses() {
    return http::Schema::ArrayOf(http::Schema::String().Format("email").MaxLength(320)).MaxItems(kMaxRecipients);
}

http::Schema EmailBody() {
    const auto attachment = http::Schema::Object()
                                .Required("filename", http::Schema::String().MinLength(1).MaxLength(255))
                                .Field("content_type", http::Schema::String().MinLength(1).MaxLength(255))
                                .Required("content_base64", http::Schema::String().Description("standard base64"));
    return http::Schema::Object()
        .Required("to", Addresses())
        .Field("cc", Addresses())
        .Field("bcc", Addresses())
        .Required("subject", http::Schema::String().MinLength(1).MaxLength(998))
        .Field("text", http::Schema::String())
        .Field("html", http::Schema::String())
        .Field("attachments", http::Schema::ArrayOf(attachment).MaxItems(kMaxAttachments))
        .Field("template_id", http::Schema::String().MinLength(1).MaxLength(200))
        .Field("template_data", http::Schema::Object().AnyProperties())
        .Field("integration_id", http::Schema::String().Format("uuid"));
}

}  // namespace

void RegisterMessagingRoutes(http::RouteTable& routes, const IntegrationService& service) {
    const MessagingService messaging(service);
    http::RouteGroup group(routes, "integrations", "integrations", "message");
    group.Add({.method = http::Method::kPost,
               .path = "/integrations/email/test",
               .operation_id = "sendTestEmail",
               .summary = "Send a test email through the tenant's email provider (or integration_id); the message is "
                          "recorded, a provider failure too",
               .body = http::Schema::Object()
                           .Required("to", http::Schema::String().Format("email").MaxLength(320))
                           .Field("subject", http::Schema::String().MinLength(1).MaxLength(998))
                           .Field("text", http::Schema::String().MaxLength(100000))
                           .Field("html", http::Schema::String().MaxLength(100000))
                           .Field("integration_id", http::Schema::String().Format("uuid")),
               .slow_io = true,
               .handler = TestEmail(messaging)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = "/messages",
               .operation_id = "listMessages",
               .summary = "Emails and SMS sent through integrations, newest first",
               .query = {{"channel", "string", "email or sms"},
                         {"status", "string", "queued, sending, accepted, sent, delivered, failed, …"},
                         {"limit", "integer", "1–200"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = List()},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = "/messages/{id}",
               .operation_id = "getMessage",
               .summary = "A message with its provider status",
               .handler = Get()},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/messages/email",
               .operation_id = "sendEmail",
               .summary = "Queue an email; a job sends it through the tenant's email provider (or integration_id)",
               .body = EmailBody(),
               .success_status = 202,
               .creates = true,
               .handler = SendEmail(service)},
              "create");
    group.Add({.method = http::Method::kPost,
               .path = "/messages/sms",
               .operation_id = "sendSms",
               .summary = "Queue an SMS; a job sends it through the tenant's SMS provider (or integration_id)",
               .body = http::Schema::Object()
                           .Required("to", http::Schema::String().MinLength(3).MaxLength(16).Description("E.164"))
                           .Required("body", http::Schema::String().MinLength(1).MaxLength(1600))
                           .Field("integration_id", http::Schema::String().Format("uuid")),
               .success_status = 202,
               .creates = true,
               .handler = SendSms(service)},
              "create");
}

void RegisterMessagingJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service) {
    MessagingService(service).RegisterJobs(registry);
}

}  // namespace kiln::integrations
