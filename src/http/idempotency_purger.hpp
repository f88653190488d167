#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "db/database.hpp"

namespace kiln::http {

/// Deletes expired idempotency rows (see IdempotencyStore) in the background of `kiln serve`: once
/// at start, then every `interval`. Each batch is its own short transaction, so a large backlog
/// never holds SQLite's write lock, or many PostgreSQL row locks, for long.
class IdempotencyPurger final {
  public:
    static constexpr size_t kBatch = 500;

    explicit IdempotencyPurger(db::Database& db, std::chrono::seconds interval = std::chrono::minutes(10))
        : db_(db), interval_(interval) {}
    ~IdempotencyPurger();
    IdempotencyPurger(const IdempotencyPurger&) = delete;
    IdempotencyPurger& operator=(const IdempotencyPurger&) = delete;

    void Start();
    /// Wakes the thread and waits for it (a batch in progress finishes). Idempotent.
    void Stop();
    /// Purges every row expired by now, batch after batch; returns how many went.
    size_t PurgeNow();

  private:
    void Loop();

    db::Database& db_;
    std::chrono::seconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace kiln::http
