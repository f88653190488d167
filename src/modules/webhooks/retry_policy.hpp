#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kiln::webhooks {

/// When attempts happen: delays[0] before the first (normally 0), delays[n] after the n-th failed
/// attempt. A delivery gets delays.size() attempts; then it is dead.
struct RetrySchedule {
    std::vector<std::chrono::seconds> delays;
    /// "0,5,300,…" (seconds). Throws std::invalid_argument saying what the list must be.
    static RetrySchedule Parse(const std::string& text);
    /// The list as Parse reads it.
    std::string ToString() const;
    int max_attempts() const { return static_cast<int>(delays.size()); }
};

/// What one attempt's answer means for the delivery.
struct AttemptVerdict {
    bool succeeded = false;
    bool gone = false;        // 410: the receiver asks us to stop; the subscription is disabled
    bool throttled = false;   // 429, 502, 504 or a timeout: wait at least the throttle delay
    std::string error_class;  // empty on success: http_4xx, http_5xx, redirect, timeout, connect, tls, blocked, …
};

/// Only 2xx succeeds; redirects are not followed and count as failures.
AttemptVerdict Judge(int status);
/// For attempts that got no HTTP answer; `egress_kind` is egress::EgressError::KindName.
AttemptVerdict JudgeError(std::string_view egress_kind);

/// When the attempt after `attempts_made` failed ones is due, or nullopt when none is left. The
/// scheduled delay is scaled by 1 + 0.2·jitter (jitter in [−1, 1]) so that deliveries failing
/// together do not retry together; a throttled receiver waits at least `throttle_delay` and
/// whatever its Retry-After asks (backoff::ParseRetryAfter: at most a day).
std::optional<Timestamp> NextAttemptAt(const RetrySchedule& schedule, int attempts_made, const AttemptVerdict& verdict,
                                       std::optional<std::chrono::milliseconds> retry_after,
                                       std::chrono::seconds throttle_delay, Timestamp now, double jitter);

}  // namespace kiln::webhooks
