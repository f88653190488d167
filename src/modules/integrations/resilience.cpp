#include "modules/integrations/resilience.hpp"

#include <algorithm>

namespace kiln::integrations {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

}  // namespace

TokenBucket::TokenBucket(double rate, double capacity)
    : rate_(rate), capacity_(capacity), tokens_(capacity), updated_(std::chrono::steady_clock::now()) {}

void TokenBucket::Refill(SteadyTime now) {
    const double elapsed = std::chrono::duration<double>(now - updated_).count();
    if (elapsed > 0) {
        tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
        updated_ = now;
    }
}

milliseconds TokenBucket::Reserve(SteadyTime now) {
    const std::lock_guard lock(mutex_);
    Refill(now);
    tokens_ -= 1;  // may go negative: the deficit is the queue of reserved tokens
    if (tokens_ >= 0) return milliseconds(0);
    return milliseconds(static_cast<int64_t>(-tokens_ / rate_ * 1000.0) + 1);
}

void TokenBucket::SetRate(double rate, double capacity) {
    const std::lock_guard lock(mutex_);
    rate_ = rate;
    capacity_ = capacity;
    tokens_ = std::min(tokens_, capacity_);
}

nlohmann::json TokenBucket::Snapshot(SteadyTime now) const {
    const std::lock_guard lock(mutex_);
    const double elapsed = std::chrono::duration<double>(now - updated_).count();
    const double tokens = std::min(capacity_, tokens_ + std::max(0.0, elapsed) * rate_);
    return {{"rate_per_second", rate_}, {"burst", capacity_}, {"available", std::max(0.0, tokens)}};
}

CircuitBreaker::CircuitBreaker(int threshold, milliseconds open_for) : threshold_(threshold), open_for_(open_for) {}

bool CircuitBreaker::Allow(SteadyTime now) {
    const std::lock_guard lock(mutex_);
    if (state_ == State::kOpen && now >= open_until_) {
        state_ = State::kHalfOpen;
        trial_in_flight_ = false;
    }
    switch (state_) {
        case State::kClosed:
            return true;
        case State::kOpen:
            return false;
        case State::kHalfOpen:
            // A trial whose outcome never came (the call ended before reaching the provider, e.g.
            // refused by the rate limiter) is given up after `open_for`, so another one may go.
            if (trial_in_flight_ && now < open_until_) return false;
            trial_in_flight_ = true;
            open_until_ = now + open_for_;
            return true;
    }
    return false;
}

void CircuitBreaker::RecordSuccess() {
    const std::lock_guard lock(mutex_);
    state_ = State::kClosed;
    failures_ = 0;
    trial_in_flight_ = false;
}

void CircuitBreaker::RecordFailure(SteadyTime now) {
    const std::lock_guard lock(mutex_);
    ++failures_;
    if (state_ == State::kHalfOpen || failures_ >= threshold_) {
        state_ = State::kOpen;
        open_until_ = now + open_for_;
        trial_in_flight_ = false;
    }
}

nlohmann::json CircuitBreaker::Snapshot(SteadyTime now) const {
    const std::lock_guard lock(mutex_);
    State state = state_;
    if (state == State::kOpen && now >= open_until_) state = State::kHalfOpen;
    nlohmann::json shown = {{"state", state == State::kClosed ? "closed"
                                      : state == State::kOpen ? "open"
                                                              : "half_open"},
                            {"consecutive_failures", failures_},
                            {"failure_threshold", threshold_}};
    if (state == State::kOpen) shown["retry_in_ms"] = duration_cast<milliseconds>(open_until_ - now).count();
    return shown;
}

ResilienceRegistry::Entry& ResilienceRegistry::For(const std::string& integration_id, double rate_per_second) {
    const std::lock_guard lock(mutex_);
    auto& entry = entries_[integration_id];
    // Bursts of one second's worth of calls, and at least one.
    const double burst = std::max(1.0, rate_per_second);
    if (!entry) {
        entry = std::make_unique<Entry>(rate_per_second, burst, settings_.failure_threshold, settings_.open_for);
    } else {
        entry->bucket.SetRate(rate_per_second, burst);
    }
    return *entry;
}

nlohmann::json ResilienceRegistry::Snapshot(const std::string& integration_id) const {
    const auto now = std::chrono::steady_clock::now();
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(integration_id);
    if (it == entries_.end())
        return {
            {"circuit",
             {{"state", "closed"}, {"consecutive_failures", 0}, {"failure_threshold", settings_.failure_threshold}}},
            {"rate_limit", nullptr}};
    return {{"circuit", it->second->breaker.Snapshot(now)}, {"rate_limit", it->second->bucket.Snapshot(now)}};
}

}  // namespace kiln::integrations
