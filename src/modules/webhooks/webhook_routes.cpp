#include "modules/webhooks/webhook_routes.hpp"

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "jobs/job_queue.hpp"
#include "modules/common/changes.hpp"
#include "modules/events/event_types.hpp"
#include "modules/webhooks/event_patterns.hpp"
#include "modules/webhooks/webhook_signature.hpp"

namespace kiln::webhooks {

namespace {

constexpr size_t kMaxPatterns = 100;
constexpr std::string_view kCollection = "/integrations/webhooks";

Subscription Existing(http::RequestContext& ctx, const WebhookService& service) {
    auto subscription = service.subscriptions().Find(ctx.scope(), SubscriptionId(ctx.IdParam("id")));
    if (!subscription) throw ctx.NotFoundError();
    return *subscription;
}

/// The URL is checked against the outbound guard when saved (and again at every send).
void CheckTarget(const WebhookService& service, const std::string& url, std::vector<FieldError>& errors) {
    try {
        service.client().CheckUrl(url, egress::Trust::kTenant);  // a subscriber's URL
    } catch (const egress::EgressError& e) {
        errors.push_back({"target_url", e.what()});
    }
}

void CheckPatterns(const nlohmann::json& events, std::vector<FieldError>& errors) {
    if (events.empty()) errors.push_back({"events", "must name at least one event type, or *"});
    for (size_t i = 0; i < events.size(); ++i)
        if (const auto problem = PatternProblem(events[i]))
            errors.push_back({"events[" + std::to_string(i) + "]", *problem});
}

/// A subscription's own retry schedule: absent or null means the platform's.
std::optional<std::vector<int64_t>> RetryScheduleIn(const nlohmann::json& body) {
    const auto it = body.find("retry_schedule");
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (it->empty()) throw ValidationError("retry_schedule", "must list at least one delay (the first attempt's)");
    return it->get<std::vector<int64_t>>();
}

http::Response Created(const Subscription& s, int status) {
    auto shown = s.ToJson();
    shown["secret"] = s.secret;  // shown once; only the sealed form is stored
    return http::Response::Json(status, shown);
}

http::Handler Create(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        std::vector<FieldError> errors;
        CheckTarget(service, body.at("target_url"), errors);
        CheckPatterns(body.at("events"), errors);
        if (!errors.empty()) throw ValidationError(std::move(errors));
        const Timestamp now = Now();
        const std::string secret = NewSecret();
        Subscription s{.id = SubscriptionId(NewUuidV7()),
                       .integration_id = body.contains("integration_id")
                                             ? std::optional<std::string>(body["integration_id"])
                                             : std::nullopt,
                       .target_url = body.at("target_url"),
                       .description = body.value("description", ""),
                       .events = body.at("events").get<std::vector<std::string>>(),
                       .secret = secret,
                       .secret_hint = SecretHint(secret),
                       .retry_schedule = RetryScheduleIn(body),
                       .is_active = body.value("is_active", true),
                       .created_at = now,
                       .updated_at = now};
        service.subscriptions().Insert(ctx.scope(), s);
        ctx.Audit("webhooks.create", s.id.str(), {{"target_url", s.target_url}, {"events", s.events}});
        return Created(s, 201);
    };
}

http::Handler List(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto page = http::PageRequest::FromQuery(ctx);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& s : service.subscriptions().List(ctx.scope(), page.after_id, page.limit))
            items.push_back(s.ToJson());
        return http::Response::Json(200, http::PageResponse(std::move(items), page));
    };
}

http::Handler Get(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) { return http::Response::Json(200, Existing(ctx, service).ToJson()); };
}

http::Handler Update(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        Subscription s = Existing(ctx, service);
        std::vector<FieldError> errors;
        if (body.contains("target_url")) CheckTarget(service, body["target_url"], errors);
        if (body.contains("events")) CheckPatterns(body["events"], errors);
        if (!errors.empty()) throw ValidationError(std::move(errors));
        common::ChangeSet changes(body);
        changes.Apply("target_url", s.target_url);
        changes.Apply("description", s.description);
        changes.Apply("events", s.events);
        if (body.contains("retry_schedule")) {
            auto shown = s.ToJson()["retry_schedule"];
            changes.Set("retry_schedule", shown, body["retry_schedule"]);
            s.retry_schedule = RetryScheduleIn(body);
        }
        changes.Apply("is_active", s.is_active);
        // Enabling again starts afresh: the failure streak that disabled it is over.
        if (changes.Contains("is_active") && s.is_active) {
            s.disabled_reason.reset();
            s.disabled_at.reset();
            s.failing_since.reset();
        }
        if (!changes.changes().empty()) {
            s.updated_at = Now();
            service.subscriptions().Update(ctx.scope(), s);
        }
        ctx.Audit("webhooks.update", s.id.str(), changes.changes());
        return http::Response::Json(200, s.ToJson());
    };
}

http::Handler Delete(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        service.subscriptions().Delete(ctx.scope(), s.id);
        ctx.Audit("webhooks.delete", s.id.str(), {{"target_url", s.target_url}});
        return http::Response::NoContent();
    };
}

http::Handler RotateSecret(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        Subscription s = Existing(ctx, service);
        const Timestamp now = Now();
        s.previous_secret = s.secret;
        s.previous_secret_expires_at =
            now + std::chrono::duration_cast<std::chrono::microseconds>(service.settings().secret_grace);
        s.secret = NewSecret();
        s.secret_hint = SecretHint(s.secret);
        s.updated_at = now;
        service.subscriptions().Update(ctx.scope(), s);
        ctx.Audit("webhooks.rotate_secret", s.id.str(), {{"secret_hint", s.secret_hint}});
        return Created(s, 200);
    };
}

/// Sends now, outside any lease (the route holds no write lock while it waits), then records it.
SendResult SendNow(http::RequestContext& ctx, const WebhookService& service, const Subscription& s, Delivery& delivery,
                   const std::string& trigger) {
    auto result = service.sender().Send(s, delivery, delivery.attempts + 1, trigger);
    ctx.BeginWrites();
    delivery.attempts += 1;
    delivery.last_status = result.attempt.status_code;
    delivery.last_error = result.attempt.error;
    delivery.updated_at = Now();
    if (result.verdict.succeeded) {
        delivery.state = "succeeded";
        delivery.delivered_at = delivery.updated_at;
    } else if (trigger == "test") {
        delivery.state = "dead";  // a test is never retried
    }
    return result;
}

http::Response Answer(const Delivery& delivery, const SendResult& result) {
    return http::Response::Json(200, {{"succeeded", result.verdict.succeeded},
                                      {"delivery", delivery.ToJson()},
                                      {"attempt", result.attempt.ToJson()}});
}

http::Handler Test(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        const Timestamp now = Now();
        const events::StoredEvent event{.id = NewUuidV7(),
                                        .tenant_id = ctx.tenant().str(),
                                        .type = "webhook.test",
                                        .ordering_key = "webhook_subscription:" + s.id.str(),
                                        .sequence = 1,
                                        .data = {{"subscription_id", s.id.str()},
                                                 {"message", "A test event from Kiln: this endpoint is reachable."}},
                                        .timestamp = FormatTimestamp(now)};
        Delivery delivery{.id = NewUuidV7(),
                          .subscription_id = s.id,
                          .event_id = event.id,
                          .event_type = event.type,
                          .payload = WebhookService::Payload(event),
                          .state = "pending",
                          .next_attempt_at = now,
                          .event_created_at = now,
                          .created_at = now,
                          .updated_at = now};
        const auto result = SendNow(ctx, service, s, delivery, "test");
        DeliveryRepository::Insert(ctx.scope(), delivery);
        DeliveryRepository::RecordAttempt(ctx.scope(), result.attempt);
        ctx.Audit("webhooks.test", s.id.str(), {{"succeeded", result.verdict.succeeded}});
        return Answer(delivery, result);
    };
}

http::Handler ListDeliveries(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        const auto page = http::PageRequest::FromQuery(ctx);
        const auto state = ctx.Query("status");
        static const std::vector<std::string> kStates = {"pending", "delivering", "succeeded",
                                                         "failed",  "dead",       "skipped"};
        if (state && std::find(kStates.begin(), kStates.end(), *state) == kStates.end())
            throw ValidationError("status", "must be one of: pending, delivering, succeeded, failed, dead, skipped");
        nlohmann::json items = nlohmann::json::array();
        for (const auto& d : DeliveryRepository::List(ctx.scope(), s.id, state, page.after_id, page.limit))
            items.push_back(d.ToJson());
        return http::Response::Json(200, http::PageResponse(std::move(items), page));
    };
}

Delivery ExistingDelivery(http::RequestContext& ctx, const Subscription& s) {
    auto delivery = DeliveryRepository::Find(ctx.scope(), s.id, ctx.IdParam("delivery_id"));
    if (!delivery) throw ctx.NotFoundError();
    return *delivery;
}

http::Handler GetDelivery(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        const Delivery delivery = ExistingDelivery(ctx, s);
        auto shown = delivery.ToJson();
        shown["payload"] = nlohmann::json::parse(delivery.payload);
        shown["attempt_log"] = nlohmann::json::array();
        for (const auto& a : DeliveryRepository::Attempts(ctx.scope(), delivery.id))
            shown["attempt_log"].push_back(a.ToJson());
        return http::Response::Json(200, shown);
    };
}

http::Handler Retry(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        Delivery delivery = ExistingDelivery(ctx, s);
        if (delivery.state == "delivering") throw Conflict("The delivery is being sent right now.");
        const auto result = SendNow(ctx, service, s, delivery, "manual");
        // Re-read under the write transaction: a worker may have taken it while we were sending.
        const auto current = DeliveryRepository::Find(ctx.scope(), s.id, delivery.id);
        if (!current || current->state == "delivering") throw Conflict("The delivery is being sent right now.");
        DeliveryRepository::SetOutcome(ctx.scope(), delivery);
        DeliveryRepository::RecordAttempt(ctx.scope(), result.attempt);
        ctx.Audit("webhooks.retry_delivery", delivery.id, {{"succeeded", result.verdict.succeeded}});
        return Answer(delivery, result);
    };
}

http::Handler Recover(const WebhookService& service) {
    return [&service](http::RequestContext& ctx) {
        const Subscription s = Existing(ctx, service);
        if (!s.is_active) throw Conflict("Enable the subscription before recovering its deliveries.");
        const auto& body = ctx.body();
        const Timestamp since = *ParseTimestamp(body.at("since").get<std::string>());
        const Timestamp until = body.contains("until") ? *ParseTimestamp(body["until"].get<std::string>()) : Now();
        if (until <= since) throw ValidationError("until", "must be after since");
        const auto job = jobs::JobQueue::Enqueue(
            ctx.scope(), std::string(WebhookService::kRecoverJob),
            {{"subscription_id", s.id.str()}, {"since", FormatTimestamp(since)}, {"until", FormatTimestamp(until)}});
        ctx.Audit("webhooks.recover", s.id.str(),
                  {{"since", FormatTimestamp(since)}, {"until", FormatTimestamp(until)}});
        return http::Response::Json(
            202, {{"job_id", job.id}, {"since", FormatTimestamp(since)}, {"until", FormatTimestamp(until)}});
    };
}

http::Schema SubscriptionBody(bool create) {
    return http::Schema::Object()
        .Field("target_url", http::Schema::String().MinLength(1).MaxLength(2000).Description("https://…"), create)
        .Field("events",
               http::Schema::ArrayOf(http::Schema::String().MinLength(1).MaxLength(100))
                   .MaxItems(kMaxPatterns)
                   .Description("Event types; invoice.* for a family, * for all"),
               create)
        .Field("description", http::Schema::String().MaxLength(500))
        .Field("retry_schedule",
               http::Schema::ArrayOf(http::Schema::Integer().Minimum(0).Maximum(int64_t{7} * 24 * 3600))
                   .MaxItems(20)
                   .Nullable()
                   .Description("Seconds before each attempt (±20% jitter), e.g. [0, 5, 300]; null = the platform's"))
        .Field("integration_id", http::Schema::String().Format("uuid"))
        .Field("is_active", http::Schema::Boolean());
}

}  // namespace

void DeclareWebhookEvents(events::EventTypeRegistry& registry) {
    registry.Declare({"webhook.subscription.disabled",
                      "A webhook subscription was disabled after its deliveries kept failing (or the receiver "
                      "answered 410)",
                      {{"type", "object"},
                       {"required", {"subscription", "reason"}},
                       {"properties", {{"subscription", {{"type", "object"}}}, {"reason", {{"type", "string"}}}}}}});
    registry.Declare(
        {"webhook.test",
         "Sent by POST /integrations/webhooks/{id}/test; never stored as an event",
         {{"type", "object"},
          {"properties", {{"subscription_id", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}});
}

void RegisterWebhookRoutes(http::RouteTable& routes, const WebhookService& service) {
    const std::string collection(kCollection);
    const std::string item = collection + "/{id}";
    http::RouteGroup group(routes, "webhooks", "integrations", "webhook_subscription");
    group.Add({.method = http::Method::kPost,
               .path = collection,
               .operation_id = "createWebhookSubscription",
               .summary = "Subscribe a URL to events; the signing secret is shown once",
               .body = SubscriptionBody(true),
               .success_status = 201,
               .creates = true,
               .handler = Create(service)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = collection,
               .operation_id = "listWebhookSubscriptions",
               .summary = "Webhook subscriptions, newest first",
               .query = {{"limit", "integer", "Page size"}, {"cursor", "string", "next_cursor of the previous page"}},
               .handler = List(service)},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = item,
               .operation_id = "getWebhookSubscription",
               .summary = "One webhook subscription",
               .handler = Get(service)},
              "read");
    group.Add({.method = http::Method::kPut,
               .path = item,
               .operation_id = "updateWebhookSubscription",
               .summary = "Change a subscription; is_active=true re-enables a disabled one",
               .body = SubscriptionBody(false),
               .handler = Update(service)},
              "update");
    group.Add({.method = http::Method::kDelete,
               .path = item,
               .operation_id = "deleteWebhookSubscription",
               .summary = "Delete a subscription with its deliveries",
               .success_status = 204,
               .handler = Delete(service)},
              "delete");
    group.Add({.method = http::Method::kPost,
               .path = item + "/test",
               .operation_id = "testWebhookSubscription",
               .summary = "Send a webhook.test event now and return the attempt",
               .slow_io = true,
               .handler = Test(service)},
              "update");
    group.Add({.method = http::Method::kGet,
               .path = item + "/deliveries",
               .operation_id = "listWebhookDeliveries",
               .summary = "The subscription's deliveries, newest first",
               .query = {{"status", "string", "pending, delivering, succeeded, failed, dead or skipped"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = ListDeliveries(service)},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = item + "/deliveries/{delivery_id}",
               .operation_id = "getWebhookDelivery",
               .summary = "One delivery with its payload and every attempt",
               .handler = GetDelivery(service)},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = item + "/deliveries/{delivery_id}/retry",
               .operation_id = "retryWebhookDelivery",
               .summary = "Send one delivery again now and return the attempt",
               .slow_io = true,
               .handler = Retry(service)},
              "update");
    group.Add(
        {.method = http::Method::kPost,
         .path = item + "/recover",
         .operation_id = "recoverWebhookDeliveries",
         .summary = "Re-queue the failed, dead and skipped deliveries of events in [since, until) (a background job)",
         .body = http::Schema::Object()
                     .Required("since", http::Schema::String().Format("date-time"))
                     .Field("until", http::Schema::String().Format("date-time").Description("Default: now")),
         .success_status = 202,
         .handler = Recover(service)},
        "update");
    group.Add({.method = http::Method::kPost,
               .path = item + "/rotate-secret",
               .operation_id = "rotateWebhookSecret",
               .summary = "A new signing secret, shown once; the old one keeps signing during the grace period",
               .handler = RotateSecret(service)},
              "update");
}

}  // namespace kiln::webhooks
