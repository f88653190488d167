#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace kiln::integrations {

using SteadyTime = std::chrono::steady_clock::time_point;

/// Kiln's own pace for one integration: `rate` calls per second with bursts of up to `capacity`.
class TokenBucket final {
  public:
    TokenBucket(double rate, double capacity);
    /// Takes a token now (returns zero) or reserves the next one and returns how long to wait for it.
    std::chrono::milliseconds Reserve(SteadyTime now);
    void SetRate(double rate, double capacity);
    nlohmann::json Snapshot(SteadyTime now) const;

  private:
    void Refill(SteadyTime now);
    mutable std::mutex mutex_;
    double rate_;
    double capacity_;
    double tokens_;
    SteadyTime updated_;
};

/// Stops calling a provider that keeps failing: after `threshold` failures in a row the circuit
/// opens for `open_for`; then one trial call is let through (half-open), and its outcome closes
/// or reopens the circuit.
class CircuitBreaker final {
  public:
    CircuitBreaker(int threshold, std::chrono::milliseconds open_for);
    /// False while open; true for the single trial of a half-open circuit.
    bool Allow(SteadyTime now);
    void RecordSuccess();
    void RecordFailure(SteadyTime now);
    /// {"state": "closed"|"open"|"half_open", "consecutive_failures", "retry_in_ms"?}
    nlohmann::json Snapshot(SteadyTime now) const;

  private:
    enum class State { kClosed, kOpen, kHalfOpen };
    mutable std::mutex mutex_;
    int threshold_;
    std::chrono::milliseconds open_for_;
    State state_ = State::kClosed;
    int failures_ = 0;
    bool trial_in_flight_ = false;
    SteadyTime open_until_{};
};

/// How provider calls retry and when an integration's circuit opens. The KILN_PROVIDER_* fields are
/// settings (declared in app/integration_settings.cpp); the others are fixed.
struct ResilienceSettings {
    double default_rate_per_second = 10;
    int failure_threshold = 5;                    // KILN_PROVIDER_BREAKER_FAILURES
    std::chrono::milliseconds open_for{30000};    // KILN_PROVIDER_BREAKER_OPEN_MS
    std::chrono::milliseconds backoff_base{500};  // KILN_PROVIDER_BACKOFF_BASE_MS
    std::chrono::milliseconds backoff_max{8000};
    std::chrono::milliseconds max_wait{10000};  // longest Retry-After or limiter wait honoured in one call
    int max_attempts = 3;
};

/// The limiter and breaker of every integration this process calls, by integration id. The state
/// is per process: N processes each keep their own (and together allow N times the rate).
class ResilienceRegistry final {
  public:
    explicit ResilienceRegistry(ResilienceSettings settings) : settings_(settings) {}
    struct Entry {
        Entry(double rate, double burst, int threshold, std::chrono::milliseconds open_for)
            : bucket(rate, burst), breaker(threshold, open_for) {}
        TokenBucket bucket;
        CircuitBreaker breaker;
    };
    Entry& For(const std::string& integration_id, double rate_per_second);
    nlohmann::json Snapshot(const std::string& integration_id) const;
    const ResilienceSettings& settings() const { return settings_; }

  private:
    ResilienceSettings settings_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace kiln::integrations
