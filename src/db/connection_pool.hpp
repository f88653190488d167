#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.hpp"

namespace kiln::db {

/// A bounded pool of backend connections, opened lazily. Both backends use it: a caller waits up
/// to the timeout for a free connection, then gets Unavailable (503) rather than queueing forever.
template <typename Connection>
class ConnectionPool final {
  public:
    using Factory = std::function<std::unique_ptr<Connection>()>;

    ConnectionPool(size_t max_connections, Factory open, std::chrono::milliseconds acquire_timeout)
        : max_connections_(max_connections == 0 ? 1 : max_connections),
          open_(std::move(open)),
          acquire_timeout_(acquire_timeout) {}

    std::unique_ptr<Connection> Acquire() {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, acquire_timeout_,
                          [&] { return !idle_.empty() || open_connections_ < max_connections_; })) {
            throw Unavailable("No database connection became free in time.");
        }
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return connection;
        }
        ++open_connections_;
        lock.unlock();
        try {
            return open_();
        } catch (...) {
            Forget();
            throw;
        }
    }

    /// A broken connection is closed instead of reused; the next Acquire opens a fresh one.
    void Release(std::unique_ptr<Connection> connection, bool broken) {
        if (broken) {
            connection.reset();
            Forget();
            return;
        }
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(connection));
        cv_.notify_one();
    }

  private:
    void Forget() {
        std::lock_guard lock(mutex_);
        --open_connections_;
        cv_.notify_one();
    }

    const size_t max_connections_;
    const Factory open_;
    const std::chrono::milliseconds acquire_timeout_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> idle_;
    size_t open_connections_ = 0;
};

}  // namespace kiln::db
