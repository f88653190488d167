#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace kiln::jobs {

/// Wakes this process's idle workers when a job may have become due: Enqueue on SQLite (which has
/// no LISTEN/NOTIFY) and the PostgreSQL listener call Notify(). A process-wide object because
/// Enqueue is called from any repository with nothing but a transaction in hand.
class JobSignal final {
  public:
    static JobSignal& Instance();

    void Notify();
    /// Notify() calls so far; a waiter remembers it before looking for work, so a wake-up that
    /// arrives between the look and the wait is not lost.
    uint64_t generation();
    /// Waits until the generation moves past `seen`, `stop` is set, or `timeout` passes.
    template <typename Predicate>
    void WaitFor(uint64_t seen, std::chrono::milliseconds timeout, Predicate stop) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, timeout, [&] { return generation_ != seen || stop(); });
    }
    /// Wakes every waiter so it re-checks its stop predicate. Taking the mutex first orders this
    /// after a waiter's check, so the wake-up cannot fall between its check and its wait.
    void WakeAll() {
        { std::lock_guard lock(mutex_); }
        cv_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    uint64_t generation_ = 0;
};

}  // namespace kiln::jobs
