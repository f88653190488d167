#include "modules/webhooks/delivery_workers.hpp"

#include <unistd.h>

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace kiln::webhooks {

namespace {

constexpr auto kIdlePoll = std::chrono::milliseconds(50);
constexpr auto kSweepEvery = std::chrono::seconds(1);
constexpr auto kPruneEvery = std::chrono::minutes(10);
constexpr int64_t kCandidates = 32;

std::string MakeWorkerId() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(::getpid()) +
           ":webhooks:" + crypto::HexEncode(crypto::RandomBytes(4));
}

/// An attempt without any HTTP answer (timeout, refused, TLS, blocked): the receiver is not
/// reachable now, and the rest of its batch would only wait for the same.
bool Unreachable(const SendResult& result) {
    return !result.attempt.status_code.has_value();
}

}  // namespace

DeliveryWorkers::DeliveryWorkers(db::Database& db, const WebhookService& service)
    : db_(db), service_(service), worker_id_(MakeWorkerId()) {}

DeliveryWorkers::~DeliveryWorkers() {
    Stop();
}

void DeliveryWorkers::Start() {
    if (service_.settings().workers == 0) return;
    for (size_t i = 0; i < service_.settings().workers; ++i) threads_.emplace_back([this] { WorkLoop(); });
    heartbeat_ = std::thread([this] { HeartbeatLoop(); });
}

void DeliveryWorkers::Stop() {
    stopping_ = true;
    idle_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    if (heartbeat_.joinable()) heartbeat_.join();
}

void DeliveryWorkers::WorkLoop() {
    while (!stopping_) {
        bool worked = false;
        try {
            worked = RunOnce();
        } catch (const std::exception& e) {
            log::Error("webhook worker failed", {{"error", e.what()}});
        }
        if (!worked) {
            std::unique_lock lock(mutex_);
            idle_.wait_for(lock, kIdlePoll, [&] { return stopping_.load(); });
        }
    }
}

void DeliveryWorkers::HeartbeatLoop() {
    while (!stopping_) {
        try {
            Maintain(std::chrono::steady_clock::now());
        } catch (const std::exception& e) {
            log::Error("webhook heartbeat failed", {{"error", e.what()}});
        }
        std::unique_lock lock(mutex_);
        idle_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping_.load(); });
    }
}

/// This process's leases are renewed every third of their length; leases of dead processes come
/// back every second; old attempts go every ten minutes.
void DeliveryWorkers::Maintain(std::chrono::steady_clock::time_point now) {
    const auto lease = service_.settings().lease;
    if (now - last_renew_ >= lease / 3) {
        last_renew_ = now;
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        DeliveryRepository::RenewLeases(tx, worker_id_,
                                        Now() + std::chrono::duration_cast<std::chrono::microseconds>(lease));
        tx.Commit();
    }
    if (now - last_sweep_ >= kSweepEvery) {
        last_sweep_ = now;
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        DeliveryRepository::ReleaseExpired(tx, Now());
        tx.Commit();
    }
    if (now - last_prune_ >= kPruneEvery) {
        last_prune_ = now;
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const auto pruned = DeliveryRepository::PruneAttempts(
            tx, Now() - std::chrono::duration_cast<std::chrono::microseconds>(service_.settings().attempt_retention));
        tx.Commit();
        if (pruned > 0) log::Info("webhook attempts pruned", {{"count", pruned}});
    }
}

bool DeliveryWorkers::Admit(const std::string& key) {
    const std::lock_guard lock(mutex_);
    auto& throttle = throttles_[key];
    if (throttle.in_flight >= std::max<size_t>(service_.settings().max_in_flight, 1)) return false;
    ++throttle.in_flight;
    return true;
}

void DeliveryWorkers::Leave(const std::string& key) {
    const std::lock_guard lock(mutex_);
    auto it = throttles_.find(key);
    if (it != throttles_.end() && --it->second.in_flight == 0 && it->second.tokens >= 1) throttles_.erase(it);
}

bool DeliveryWorkers::TakeToken(const std::string& key) {
    const double rate = static_cast<double>(std::max<size_t>(service_.settings().rate_limit, 1));
    const auto now = std::chrono::steady_clock::now();
    const std::lock_guard lock(mutex_);
    auto& throttle = throttles_[key];
    if (throttle.refilled.time_since_epoch().count() == 0) {
        throttle.tokens = rate;  // a full second's worth to start with
    } else {
        throttle.tokens =
            std::min(rate, throttle.tokens + rate * std::chrono::duration<double>(now - throttle.refilled).count());
    }
    throttle.refilled = now;
    if (throttle.tokens < 1) return false;
    throttle.tokens -= 1;
    return true;
}

bool DeliveryWorkers::RunOnce() {
    const auto& settings = service_.settings();
    const auto lease = std::chrono::duration_cast<std::chrono::microseconds>(settings.lease);
    TenantId tenant;
    SubscriptionId subscription_id;
    std::optional<Slot> slot;
    std::vector<Delivery> batch;
    {
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const Timestamp now = Now();
        for (const auto& [t, s] : DeliveryRepository::DueSubscriptions(tx, now, kCandidates)) {
            if (!Admit(s.str())) continue;
            Slot candidate(*this, s.str());
            batch = DeliveryRepository::Claim(tx, t, s, worker_id_, now + lease, now, kBatch);
            if (!batch.empty()) {
                tenant = t;
                subscription_id = s;
                slot.emplace(std::move(candidate));
                break;
            }
        }
        tx.Commit();
    }
    if (batch.empty()) return false;
    const std::string& key = slot->key();

    struct Sent {
        const Delivery* delivery;
        SendResult result;
    };
    std::vector<Sent> sent;
    std::optional<Subscription> subscription;
    {
        auto tx = db_.Begin({db::Access::kReadOnly, db::Visibility::kTenant});
        subscription = service_.subscriptions().Find(db::TenantScope(tx, tenant), subscription_id);
    }
    size_t next = 0;
    bool receiver_unreachable = false;
    if (subscription && subscription->is_active) {
        for (; next < batch.size() && !stopping_; ++next) {
            if (!TakeToken(key)) break;
            auto result = service_.sender().Send(*subscription, batch[next], batch[next].attempts, "scheduled");
            receiver_unreachable = Unreachable(result);
            sent.push_back({&batch[next], std::move(result)});
            if (receiver_unreachable) {
                ++next;
                break;
            }
        }
    }

    auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    const db::TenantScope scope(tx, tenant);
    bool changed = false;
    for (const auto& s : sent)
        if (subscription)
            service_.ApplyScheduledResult(scope, *subscription, *s.delivery, s.result, worker_id_, changed);
    // What was not sent goes back unattempted: skipped when the subscription is gone or disabled,
    // otherwise due again in a second (rate limit, stop) or when the unreachable one is retried.
    const bool inactive = !subscription || !subscription->is_active;
    const Timestamp later = Now() + std::chrono::seconds(1);
    for (size_t i = next; i < batch.size(); ++i) {
        if (inactive && subscription) {
            DeliveryRepository::Release(scope, batch[i].id, worker_id_, "skipped", later);
        } else if (subscription) {
            DeliveryRepository::Release(scope, batch[i].id, worker_id_, "pending",
                                        receiver_unreachable ? Now() + settings.throttle_delay : later);
        }
    }
    if (changed && subscription) service_.subscriptions().Update(scope, *subscription);
    tx.Commit();
    return true;
}

}  // namespace kiln::webhooks
