#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kiln::auth {

/// Counts failed sign-ins per account and per client address in a fixed window; past the limit
/// further attempts are refused until the window ends, even with the right password, so a
/// password cannot be guessed faster than the limit. In-process: with several processes the
/// limit applies per process (documented in docs/architecture.md).
class LoginRateLimiter final {
  public:
    using Clock = std::chrono::steady_clock;

    LoginRateLimiter(int max_failures, std::chrono::seconds window) : max_failures_(max_failures), window_(window) {}

    /// Seconds until `key` may try again, or 0 when it may try now.
    int RetryAfterSeconds(const std::string& key);
    void RecordFailure(const std::string& key);
    void Reset(const std::string& key);

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point window_start;
    };
    void PruneLocked(Clock::time_point now);

    int max_failures_;
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace kiln::auth
