#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "core/time.hpp"
#include "db/database.hpp"

namespace kiln::auth {

/// Slows down password guessing, with its counters in the database (table `login_attempts`), so
/// every process on one database shares them. Three records per failed sign-in:
///   pair:<account>|<address>  back-off after `max_failures` failures: 2 s, 4 s, 8 s … up to `window`
///   address:<address>         the same after 4 × max_failures failures on any accounts (spraying)
///   account:<account>         never refuses by itself; once 2 × max_failures failures came from
///                             anywhere, every address backs off after its *first* failure
/// A sign-in is refused while its pair or its address is backing off, even with the right
/// password. An attacker flooding an account from elsewhere therefore never locks its owner out:
/// the owner's own (account, address) record is clean. Records expire `window` after their last
/// failure; expired rows are purged at most once a minute per process. See docs/architecture.md.
class LoginRateLimiter final {
  public:
    LoginRateLimiter(int max_failures, std::chrono::seconds window) : max_failures_(max_failures), window_(window) {}

    /// Seconds until `account` may try again from `address` (a RateLimitKey), or 0 for now.
    int RetryAfterSeconds(db::Database& db, const std::string& account, const std::string& address,
                          Timestamp now) const;
    void RecordFailure(db::Database& db, const std::string& account, const std::string& address, Timestamp now);
    /// The right password clears its own pair record (not the account's or the address's).
    void RecordSuccess(db::Database& db, const std::string& account, const std::string& address) const;

  private:
    /// Raises the key's failure count in `tx`; returns the new count.
    int64_t CountFailure(db::Transaction& tx, const std::string& key, Timestamp now) const;
    /// Blocks the key when `failures` reached `threshold`, for 2 s doubling per further failure.
    void BackOff(db::Transaction& tx, const std::string& key, int64_t failures, int64_t threshold, Timestamp now) const;
    void PurgeExpired(db::Transaction& tx, Timestamp now);

    int max_failures_;
    std::chrono::seconds window_;
    std::atomic<int64_t> last_purge_us_{0};
};

}  // namespace kiln::auth
