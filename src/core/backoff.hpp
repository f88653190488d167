#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/time.hpp"

/// Waiting before a retry: the delay formulas every retrying loop shares (jobs, webhook deliveries,
/// provider calls, the sign-in back-off) and the reading of an HTTP `Retry-After`.
namespace kiln::backoff {

/// `base` doubled `doublings` times, at most `cap`: base · 2^doublings. A negative count is zero
/// doublings; any count is safe (no overflow), and negative durations count as zero.
std::chrono::milliseconds Exponential(std::chrono::milliseconds base, int doublings, std::chrono::milliseconds cap);

/// A random number uniform in [low, high], from a generator of the calling thread (retries of work
/// that failed together should not come back together).
double Jitter(double low, double high);

/// `delay` times `factor`, rounded to the millisecond; a negative result is zero.
std::chrono::milliseconds Scaled(std::chrono::milliseconds delay, double factor);

/// `delay` spread by ±`fraction` (0.2: ±20%) as `jitter` goes from −1 to 1 (clamped).
std::chrono::milliseconds Spread(std::chrono::milliseconds delay, double fraction, double jitter);

/// The longest wait a `Retry-After` is taken at: a receiver cannot park work for longer.
inline constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(24);

/// An HTTP `Retry-After` value (RFC 9110 §10.2.3) as a wait from `now`: delta-seconds ("120"; a
/// fraction such as "1.5" is read too), or an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT"), blanks
/// around it ignored. A date in the past is zero; anything beyond kMaxRetryAfter is kMaxRetryAfter.
/// nullopt for anything else.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, Timestamp now);

}  // namespace kiln::backoff
