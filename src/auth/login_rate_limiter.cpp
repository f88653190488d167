#include "auth/login_rate_limiter.hpp"

namespace kiln::auth {

namespace {
// Bounds memory under a flood of distinct addresses or accounts.
constexpr size_t kMaxEntries = 100000;
}  // namespace

int LoginRateLimiter::RetryAfterSeconds(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.failures < max_failures_) return 0;
    const auto remaining = it->second.window_start + window_ - Clock::now();
    if (remaining <= Clock::duration::zero()) {
        entries_.erase(it);
        return 0;
    }
    return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(remaining).count());
}

void LoginRateLimiter::RecordFailure(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    if (entries_.size() >= kMaxEntries) PruneLocked(now);
    auto& entry = entries_[key];
    if (entry.failures == 0 || now - entry.window_start >= window_) {
        entry.failures = 0;
        entry.window_start = now;
    }
    ++entry.failures;
}

void LoginRateLimiter::Reset(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
}

void LoginRateLimiter::PruneLocked(Clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = now - it->second.window_start >= window_ ? entries_.erase(it) : std::next(it);
    }
    if (entries_.size() >= kMaxEntries) entries_.clear();  // all live: forget rather than grow without bound
}

}  // namespace kiln::auth
