#include "http/idempotency_purger.hpp"

#include <exception>

#include "core/log.hpp"
#include "core/time.hpp"
#include "http/idempotency.hpp"

namespace kiln::http {

IdempotencyPurger::~IdempotencyPurger() {
    Stop();
}

void IdempotencyPurger::Start() {
    thread_ = std::thread([this] { Loop(); });
}

void IdempotencyPurger::Stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

size_t IdempotencyPurger::PurgeNow() {
    const Timestamp now = Now();
    size_t total = 0;
    for (;;) {
        auto tx = db_.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const size_t purged = IdempotencyStore::PurgeExpired(tx, now, kBatch);
        tx.Commit();
        total += purged;
        if (purged < kBatch) return total;
        const std::lock_guard lock(mutex_);
        if (stopping_) return total;
    }
}

void IdempotencyPurger::Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            if (const size_t purged = PurgeNow(); purged > 0)
                log::Info("expired idempotency keys purged", {{"count", purged}});
        } catch (const std::exception& e) {
            log::Error("idempotency purge failed", {{"error", e.what()}});  // tried again next round
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace kiln::http
