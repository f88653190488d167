// The sign-in limiter's counters (auth/login_rate_limiter, table login_attempts) on each backend,
// with the clock passed in: back-off per (account, address), doubling and capped, the address and
// account rules, expiry.
#include "auth/login_rate_limiter.hpp"
#include "database_fixture.hpp"

namespace kiln {
namespace {

using std::chrono::seconds;

class LoginLimiterTest : public testing::DatabaseTest {
  protected:
    auth::LoginRateLimiter limiter_{3, seconds(60)};
    Timestamp t0_ = Now();

    Timestamp At(int second) const {
        return t0_ + std::chrono::duration_cast<std::chrono::microseconds>(seconds(second));
    }
    int Wait(const std::string& account, const std::string& address, int second) {
        return limiter_.RetryAfterSeconds(*db_, account, address, At(second));
    }
    void Fail(const std::string& account, const std::string& address, int second) {
        limiter_.RecordFailure(*db_, account, address, At(second));
    }
};

TEST_F(LoginLimiterTest, APairBacksOffExponentiallyUpToTheWindow) {
    Fail("a@x.test", "198.51.100.1", 0);
    Fail("a@x.test", "198.51.100.1", 0);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 0), 0);
    Fail("a@x.test", "198.51.100.1", 0);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 0), 2);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 2), 0);
    Fail("a@x.test", "198.51.100.1", 2);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 2), 4);
    Fail("a@x.test", "198.51.100.1", 6);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 6), 8);
    EXPECT_EQ(Wait("b@x.test", "198.51.100.1", 6), 0) << "the same address for another account is clean";
    for (int i = 0; i < 10; ++i) Fail("a@x.test", "198.51.100.1", 14);
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 14), 60) << "capped at the window";
    EXPECT_EQ(Wait("a@x.test", "198.51.100.2", 14), 0) << "another address for the same account is clean";
    EXPECT_GT(Wait("b@x.test", "198.51.100.1", 14), 0) << "past 4 × the limit the address itself backs off";
}

TEST_F(LoginLimiterTest, RecordsExpireAWindowAfterTheirLastFailure) {
    for (int i = 0; i < 3; ++i) Fail("a@x.test", "198.51.100.1", 0);
    EXPECT_GT(Wait("a@x.test", "198.51.100.1", 1), 0);
    Fail("a@x.test", "198.51.100.1", 61);  // the old record expired: this is failure one again
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 61), 0);
}

TEST_F(LoginLimiterTest, SuccessClearsItsOwnPairOnly) {
    for (int i = 0; i < 3; ++i) Fail("a@x.test", "198.51.100.1", 0);
    limiter_.RecordSuccess(*db_, "a@x.test", "198.51.100.1");
    EXPECT_EQ(Wait("a@x.test", "198.51.100.1", 0), 0);
}

TEST_F(LoginLimiterTest, AnAddressSprayingManyAccountsBacksOff) {
    for (int i = 0; i < 12; ++i) Fail("user" + std::to_string(i) + "@x.test", "203.0.113.5", 0);
    EXPECT_GT(Wait("fresh@x.test", "203.0.113.5", 0), 0);
    EXPECT_EQ(Wait("fresh@x.test", "203.0.113.6", 0), 0);
}

TEST_F(LoginLimiterTest, AnAttackedAccountMakesEveryAddressBackOffEarlyButLocksNobody) {
    for (int i = 0; i < 6; ++i) Fail("victim@x.test", "203.0.113." + std::to_string(i), 0);
    EXPECT_EQ(Wait("victim@x.test", "198.51.100.9", 0), 0) << "a clean address may always try";
    Fail("victim@x.test", "198.51.100.9", 0);
    EXPECT_EQ(Wait("victim@x.test", "198.51.100.9", 0), 2) << "during an attack one failure is enough";
}

}  // namespace
}  // namespace kiln
