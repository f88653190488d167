#include "modules/webhooks/webhook_service.hpp"

#include "core/backoff.hpp"
#include "core/log.hpp"
#include "modules/notifications/notification_repository.hpp"
#include "modules/webhooks/event_patterns.hpp"
#include "observability/metrics.hpp"

namespace kiln::webhooks {

WebhookService::WebhookService(const WebhookSettings& settings, const SecretVault& vault,
                               const egress::OutboundClient& client)
    : settings_(settings), client_(client), subscriptions_(vault), sender_(client, settings.timeout) {}

std::string WebhookService::Payload(const events::StoredEvent& event) {
    return nlohmann::json{{"type", event.type},
                          {"timestamp", event.timestamp},
                          {"data", event.data},
                          {"id", event.id},
                          {"tenant_id", event.tenant_id}}
        .dump();
}

void WebhookService::FanOut(const db::TenantScope& scope, const events::StoredEvent& event) const {
    std::optional<std::string> payload;  // built once, for the first subscription that wants it
    for (const auto& route : SubscriptionRepository::Routes(scope)) {
        if (!MatchesAny(route.events, event.type)) continue;
        if (!payload) payload = Payload(event);
        DeliveryRepository::Create(scope, route.id, event, *payload, route.is_active ? "pending" : "skipped");
    }
}

void WebhookService::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    registry.Register(std::string(kRecoverJob), [](const jobs::JobContext& job) {
        const auto since = ParseTimestamp(job.payload.at("since").get<std::string>());
        const auto until = ParseTimestamp(job.payload.at("until").get<std::string>());
        if (!since || !until) throw std::runtime_error("recover job with unreadable times");
        auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const auto count = DeliveryRepository::Recover(
            db::TenantScope(tx, job.tenant), SubscriptionId(job.payload.at("subscription_id").get<std::string>()),
            *since, *until, Now());
        tx.Commit();
        log::Info("webhook deliveries recovered", {{"count", count}, {"job_id", job.job_id}});
    });
}

void WebhookService::Disable(const db::TenantScope& scope, Subscription& subscription, const std::string& reason,
                             Timestamp now) const {
    subscription.is_active = false;
    subscription.disabled_reason = reason;
    subscription.disabled_at = now;
    subscription.updated_at = now;
    events::EventOutbox::Record(scope, "webhook.subscription.disabled", "webhook_subscription:" + subscription.id.str(),
                                {{"subscription", subscription.ToJson()}, {"reason", reason}}, "");
    notifications::NotificationRepository::Notify(
        scope, {.roles = {"owner", "admin"}},
        {.kind = "webhook",
         .title = "Webhook endpoint disabled",
         .body = subscription.target_url + ": " + reason + ". New events are kept and can be replayed with recover.",
         .link = "/integrations/webhooks/" + subscription.id.str(),
         .data = {{"subscription_id", subscription.id.str()}, {"reason", reason}},
         .dedupe_key = "webhook-disabled:" + subscription.id.str() + ":" + FormatTimestamp(now)});
}

bool WebhookService::ApplyScheduledResult(const db::TenantScope& scope, Subscription& subscription,
                                          const Delivery& delivery, const SendResult& result,
                                          const std::string& worker_id, bool& subscription_changed) const {
    const Timestamp now = Now();
    DeliveryOutcome outcome{.state = "succeeded",
                            .next_attempt_at = now,
                            .last_status = result.attempt.status_code,
                            .last_error = result.attempt.error};
    if (!result.verdict.succeeded) {
        // A subscription's own schedule (the tenant's choice) wins over the platform's.
        std::optional<RetrySchedule> own;
        if (subscription.retry_schedule)
            own = RetrySchedule{{subscription.retry_schedule->begin(), subscription.retry_schedule->end()}};
        const auto next =
            result.verdict.gone
                ? std::nullopt
                : NextAttemptAt(own ? *own : settings_.retry_schedule, delivery.attempts, result.verdict,
                                result.retry_after, settings_.throttle_delay, now, backoff::Jitter(-1.0, 1.0));
        outcome.state = next ? "failed" : "dead";
        outcome.next_attempt_at = next.value_or(now);
    }
    if (!DeliveryRepository::Finish(scope, delivery.id, worker_id, outcome, now)) return false;
    DeliveryRepository::RecordAttempt(scope, result.attempt);
    observability::Metrics::Instance().WebhookDelivery(
        result.verdict.error_class == "blocked_address" ? "blocked" : outcome.state,
        static_cast<double>(result.attempt.latency_us) / 1e6);

    if (result.verdict.succeeded && subscription.failing_since) {
        subscription.failing_since.reset();
        subscription_changed = true;
    } else if (result.verdict.gone && subscription.is_active) {
        Disable(scope, subscription, "the receiver answered 410 Gone", now);
        subscription_changed = true;
    } else if (outcome.state == "dead") {
        if (!subscription.failing_since) {
            subscription.failing_since = now;
            subscription_changed = true;
        }
        if (subscription.is_active && now - *subscription.failing_since >= settings_.disable_after) {
            Disable(scope, subscription, "every delivery failed since " + FormatTimestamp(*subscription.failing_since),
                    now);
            subscription_changed = true;
        }
    }
    return true;
}

}  // namespace kiln::webhooks
