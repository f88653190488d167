#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/webhooks/subscription.hpp"

namespace kiln::webhooks {

/// One event for one subscription. States: pending → delivering → succeeded | failed (retry due
/// at next_attempt_at) | dead (retries exhausted, or the receiver answered 410); skipped when the
/// subscription was disabled as the event arrived (recover re-queues those).
struct Delivery {
    std::string id;
    SubscriptionId subscription_id;
    std::string event_id;
    std::string event_type;
    std::string payload;  // the exact bytes signed and sent
    std::string state;
    int attempts = 0;
    Timestamp next_attempt_at;
    std::optional<int> last_status;
    std::optional<std::string> last_error;
    Timestamp event_created_at;
    Timestamp created_at;
    Timestamp updated_at;
    std::optional<Timestamp> delivered_at;

    nlohmann::json ToJson() const;
};

/// One try at sending a delivery, kept for the attempt log (and pruned after the retention).
struct Attempt {
    std::string id;
    std::string delivery_id;
    SubscriptionId subscription_id;
    int attempt = 1;
    std::string trigger;  // scheduled, manual, test
    Timestamp attempted_at;
    std::optional<int> status_code;
    int64_t latency_us = 0;
    std::optional<std::string> error_class;
    std::optional<std::string> error;
    std::string response_body;  // at most 4 KB, valid UTF-8
    bool succeeded = false;

    nlohmann::json ToJson() const;
};

/// The outcome written back by the worker that holds the delivery's lease.
struct DeliveryOutcome {
    std::string state;  // succeeded, failed, dead
    Timestamp next_attempt_at;
    std::optional<int> last_status;
    std::optional<std::string> last_error;
};

class DeliveryRepository final {
  public:
    /// The fan-out: one row per (event, subscription); false when it already existed.
    static bool Create(const db::TenantScope& scope, const SubscriptionId& subscription,
                       const events::StoredEvent& event, const std::string& payload, const std::string& state);

    // Workers, in system transactions: they serve every tenant.
    /// Subscriptions with due deliveries, the one with the oldest due delivery first (with repeats).
    static std::vector<std::pair<TenantId, SubscriptionId>> DueSubscriptions(db::Transaction& tx, Timestamp now,
                                                                             int64_t limit);
    /// Leases up to `limit` of the subscription's oldest due deliveries to `worker_id`.
    static std::vector<Delivery> Claim(db::Transaction& tx, const TenantId& tenant, const SubscriptionId& subscription,
                                       const std::string& worker_id, Timestamp locked_until, Timestamp now,
                                       int64_t limit);
    /// Deliveries whose worker died (lease expired) are due again; returns how many.
    static int64_t ReleaseExpired(db::Transaction& tx, Timestamp now);
    static int64_t PruneAttempts(db::Transaction& tx, Timestamp before);
    /// Extends every lease `worker_id` holds; returns how many.
    static int64_t RenewLeases(db::Transaction& tx, const std::string& worker_id, Timestamp locked_until);

    /// Gives a claimed delivery back unattempted (its subscription is throttled or disabled).
    static void Release(const db::TenantScope& scope, const std::string& id, const std::string& worker_id,
                        const std::string& state, Timestamp next_attempt_at);
    /// False when `worker_id` no longer holds the lease: the newer attempt's outcome stands.
    static bool Finish(const db::TenantScope& scope, const std::string& id, const std::string& worker_id,
                       const DeliveryOutcome& outcome, Timestamp now);
    static void RecordAttempt(const db::TenantScope& scope, const Attempt& attempt);

    // The API.
    static std::optional<Delivery> Find(const db::TenantScope& scope, const SubscriptionId& subscription,
                                        const std::string& id);
    static void Insert(const db::TenantScope& scope, const Delivery& delivery);
    /// After a manual attempt, outside any lease: state, status and error as they now are.
    static void SetOutcome(const db::TenantScope& scope, const Delivery& delivery);
    /// Newest first, up to limit + 1 rows, optionally in one state.
    static std::vector<Delivery> List(const db::TenantScope& scope, const SubscriptionId& subscription,
                                      const std::optional<std::string>& state,
                                      const std::optional<std::string>& before_id, int64_t limit);
    static std::vector<Attempt> Attempts(const db::TenantScope& scope, const std::string& delivery_id);
    /// Re-queues the subscription's dead, failed and skipped deliveries of events from [since, until)
    /// with a fresh set of attempts; returns how many.
    static int64_t Recover(const db::TenantScope& scope, const SubscriptionId& subscription, Timestamp since,
                           Timestamp until, Timestamp now);
};

}  // namespace kiln::webhooks
