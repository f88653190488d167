// core/backoff: the delay formulas and the Retry-After reading every retrying loop shares.
#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace kiln::backoff {
namespace {

using std::chrono::milliseconds;
using std::chrono_literals::operator""s;
using std::chrono_literals::operator""ms;
using std::chrono_literals::operator""h;

TEST(Backoff, ExponentialDoublesUpToTheCap) {
    EXPECT_EQ(Exponential(500ms, 0, 8000ms), 500ms);
    EXPECT_EQ(Exponential(500ms, 1, 8000ms), 1000ms);
    EXPECT_EQ(Exponential(500ms, 4, 8000ms), 8000ms);
    EXPECT_EQ(Exponential(500ms, 5, 8000ms), 8000ms);
    EXPECT_EQ(Exponential(2s, 3, 900s), 16s);
}

TEST(Backoff, ExponentialIsSafeForAnyCount) {
    EXPECT_EQ(Exponential(500ms, -3, 8000ms), 500ms);  // no negative doublings
    EXPECT_EQ(Exponential(500ms, 63, 8000ms), 8000ms);
    EXPECT_EQ(Exponential(500ms, 1 << 30, 8000ms), 8000ms);
    EXPECT_EQ(Exponential(milliseconds(std::numeric_limits<int64_t>::max()), 1, 1h), 1h);
    EXPECT_EQ(Exponential(0ms, 10, 1h), 0ms);
    EXPECT_EQ(Exponential(1ms, 62, milliseconds(std::numeric_limits<int64_t>::max())), milliseconds(int64_t{1} << 62));
}

TEST(Backoff, JitterStaysWithinItsBounds) {
    for (int i = 0; i < 1000; ++i) {
        const double spread = Jitter(-1.0, 1.0);
        EXPECT_GE(spread, -1.0);
        EXPECT_LE(spread, 1.0);
        const double half = Jitter(0.5, 1.0);
        EXPECT_GE(half, 0.5);
        EXPECT_LE(half, 1.0);
    }
}

TEST(Backoff, SpreadAndScale) {
    EXPECT_EQ(Spread(300s, 0.2, 1.0), 360s);
    EXPECT_EQ(Spread(300s, 0.2, -1.0), 240s);
    EXPECT_EQ(Spread(300s, 0.2, 0.0), 300s);
    EXPECT_EQ(Spread(100ms, 0.2, 7.0), 120ms);  // jitter is clamped to [−1, 1]
    EXPECT_EQ(Scaled(1000ms, 0.5), 500ms);
    EXPECT_EQ(Scaled(3ms, 0.5), 2ms);  // rounded
    EXPECT_EQ(Scaled(1000ms, -1.0), 0ms);
}

TEST(Backoff, RetryAfterReadsSecondsAndDates) {
    const Timestamp now = *ParseTimestamp("2026-11-29T12:00:00Z");
    EXPECT_EQ(ParseRetryAfter("120", now), 120s);
    EXPECT_EQ(ParseRetryAfter(" 7 ", now), 7s);
    EXPECT_EQ(ParseRetryAfter("2.5", now), 2500ms);
    EXPECT_EQ(ParseRetryAfter("0", now), 0s);
    EXPECT_EQ(ParseRetryAfter("Sun, 29 Nov 2026 12:01:30 GMT", now), 90s);
    EXPECT_EQ(ParseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now), 0s);  // in the past: now
    EXPECT_EQ(ParseRetryAfter("99999999999", now), kMaxRetryAfter);
    EXPECT_EQ(ParseRetryAfter("Tue, 29 Dec 2026 12:00:00 GMT", now), kMaxRetryAfter);
}

TEST(Backoff, RetryAfterRefusesAnythingElse) {
    const Timestamp now = *ParseTimestamp("2026-11-29T12:00:00Z");
    for (const char* bad :
         {"", "  ", "soon", "-5", "1e3", "2.", ".5", "12abc", "inf", "nan", "Sun, 29 Nov 2026 12:01:30 GMT and more"})
        EXPECT_FALSE(ParseRetryAfter(bad, now)) << bad;
}

}  // namespace
}  // namespace kiln::backoff
