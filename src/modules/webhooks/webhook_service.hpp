#pragma once

#include <string>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "egress/outbound_client.hpp"
#include "jobs/job_handler.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/webhooks/delivery_sender.hpp"
#include "modules/webhooks/retry_policy.hpp"
#include "modules/webhooks/subscription_repository.hpp"
#include "modules/webhooks/webhook_settings.hpp"

namespace kiln::webhooks {

/// The webhooks module's shared parts: where secrets are sealed, how attempts are sent, and what
/// an attempt's outcome does to its delivery and subscription. Routes and delivery workers use it.
class WebhookService final {
  public:
    WebhookService(const WebhookSettings& settings, const SecretVault& vault, const egress::OutboundClient& client);

    const WebhookSettings& settings() const { return settings_; }
    const SubscriptionRepository& subscriptions() const { return subscriptions_; }
    const DeliverySender& sender() const { return sender_; }
    const RetrySchedule& schedule() const { return settings_.retry_schedule; }
    const egress::OutboundClient& client() const { return client_; }

    static constexpr std::string_view kRecoverJob = "webhooks.recover";
    /// Registers `webhooks.recover` (payload: subscription_id, since, until); `this` must outlive
    /// the workers.
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const;

    /// The EventDispatcher consumer: one delivery per matching subscription (skipped while the
    /// subscription is disabled, so recover can replay it).
    void FanOut(const db::TenantScope& scope, const events::StoredEvent& event) const;

    /// Applies one scheduled attempt's result in the caller's tenant transaction: records the
    /// attempt, moves the delivery on (succeeded, failed with its next time, or dead) if `worker_id`
    /// still holds its lease, and updates `subscription` (a success clears failing_since; 410 or a
    /// long enough run of dead deliveries disables it). Returns false when the lease was lost.
    bool ApplyScheduledResult(const db::TenantScope& scope, Subscription& subscription, const Delivery& delivery,
                              const SendResult& result, const std::string& worker_id, bool& subscription_changed) const;

    /// Disables the subscription: records why, publishes webhook.subscription.disabled and tells the
    /// tenant's owners and admins in-app. The caller saves the subscription.
    void Disable(const db::TenantScope& scope, Subscription& subscription, const std::string& reason,
                 Timestamp now) const;

    /// The bytes sent for an event: {"type", "timestamp", "data", "id", "tenant_id"}.
    static std::string Payload(const events::StoredEvent& event);

  private:
    WebhookSettings settings_;
    const egress::OutboundClient& client_;
    SubscriptionRepository subscriptions_;
    DeliverySender sender_;
};

}  // namespace kiln::webhooks
