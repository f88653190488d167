#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "modules/webhooks/webhook_service.hpp"

namespace kiln::webhooks {

/// Threads that deliver webhooks (in `kiln serve` and `kiln worker`). Each round a worker takes the
/// subscription with the oldest due delivery that this process may still serve, leases a batch of
/// that subscription's due deliveries, sends them one after another over a reused connection, and
/// writes the outcomes in one transaction.
///
/// Fairness: a subscription is served by at most `max_in_flight` workers of a process at a time
/// and at most `rate_limit` attempts per second, and a batch stops at the first attempt that did
/// not get an answer (the rest wait for the retry). So a slow or dead receiver holds a bounded
/// number of threads and everyone else's deliveries keep flowing.
///
/// Durability: a delivery is leased while it is sent, and a heartbeat thread renews the leases every
/// third of their length (so a long batch keeps them); a killed process's leases expire and the
/// deliveries are sent again (at-least-once; receivers deduplicate on webhook-id).
class DeliveryWorkers final {
  public:
    static constexpr int64_t kBatch = 20;

    DeliveryWorkers(db::Database& db, const WebhookService& service);
    ~DeliveryWorkers();
    DeliveryWorkers(const DeliveryWorkers&) = delete;
    DeliveryWorkers& operator=(const DeliveryWorkers&) = delete;

    void Start();
    /// Stops taking work and waits for the batches being sent. Idempotent.
    void Stop();

  private:
    /// Per-subscription admission in this process: workers in flight and a token bucket.
    struct Throttle {
        size_t in_flight = 0;
        double tokens = 0;
        std::chrono::steady_clock::time_point refilled;
    };

    /// A subscription's place among this process's in-flight workers, given back however the round
    /// ends (an exception included), so a failed round cannot shrink the subscription's share.
    class Slot final {
      public:
        Slot(DeliveryWorkers& owner, std::string key) : owner_(&owner), key_(std::move(key)) {}
        Slot(Slot&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) { other.key_.clear(); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        Slot& operator=(Slot&&) = delete;
        ~Slot() {
            if (!key_.empty()) owner_->Leave(key_);
        }
        const std::string& key() const { return key_; }

      private:
        DeliveryWorkers* owner_;
        std::string key_;
    };

    void WorkLoop();
    void HeartbeatLoop();
    bool RunOnce();
    void Maintain(std::chrono::steady_clock::time_point now);
    bool Admit(const std::string& key);
    void Leave(const std::string& key);
    bool TakeToken(const std::string& key);

    db::Database& db_;
    const WebhookService& service_;
    std::string worker_id_;
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable idle_;
    std::map<std::string, Throttle> throttles_;
    std::thread heartbeat_;
    std::chrono::steady_clock::time_point last_sweep_{}, last_prune_{}, last_renew_{};
};

}  // namespace kiln::webhooks
