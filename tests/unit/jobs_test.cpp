// Pure parts of the job queue: retry backoff and error truncation.
#include <gtest/gtest.h>

#include "jobs/job_handler.hpp"
#include "jobs/job_queue.hpp"

namespace kiln::jobs {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelay, DoublesFromTheBaseUpToTheCap) {
    const BackoffPolicy policy;  // 5 s, capped at 1 h
    EXPECT_EQ(RetryDelay(1, policy, 0.0), milliseconds(5000));
    EXPECT_EQ(RetryDelay(2, policy, 0.0), milliseconds(10000));
    EXPECT_EQ(RetryDelay(4, policy, 0.0), milliseconds(40000));
    EXPECT_EQ(RetryDelay(20, policy, 0.0), milliseconds(3600000));
    EXPECT_EQ(RetryDelay(100000, policy, 0.0), milliseconds(3600000));
    EXPECT_EQ(RetryDelay(0, policy, 0.0), milliseconds(5000));
}

TEST(RetryDelay, JitterIsPlusMinusTwentyPercent) {
    const BackoffPolicy policy{milliseconds(100), milliseconds(1000)};
    EXPECT_EQ(RetryDelay(1, policy, 1.0), milliseconds(120));
    EXPECT_EQ(RetryDelay(1, policy, -1.0), milliseconds(80));
    EXPECT_EQ(RetryDelay(1, policy, 7.0), milliseconds(120));
    EXPECT_EQ(RetryDelay(10, policy, -1.0), milliseconds(800));
}

TEST(TruncateUtf8, NeverCutsACharacter) {
    EXPECT_EQ(TruncateUtf8("short", 10), "short");
    EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc");
    // "é" is two bytes: cutting after its first byte drops the whole character.
    EXPECT_EQ(TruncateUtf8("ab\xC3\xA9z", 3), "ab");
    EXPECT_EQ(TruncateUtf8("ab\xC3\xA9z", 4), "ab\xC3\xA9");
    // A four-byte character.
    EXPECT_EQ(TruncateUtf8("a\xF0\x9F\x94\xA5", 4), "a");
}

TEST(JobHandlerRegistry, FindsRegisteredKindsAndRejectsDuplicates) {
    JobHandlerRegistry registry;
    EXPECT_EQ(registry.Find("test.sleep"), nullptr);
    RegisterTestJobKinds(registry);
    EXPECT_NE(registry.Find("test.sleep"), nullptr);
    EXPECT_NE(registry.Find("test.fail"), nullptr);
    EXPECT_THROW(registry.Register("test.fail", [](const JobContext&) {}), std::logic_error);
    EXPECT_EQ(registry.kinds(), (std::vector<std::string>{"test.fail", "test.sleep"}));
}

}  // namespace
}  // namespace kiln::jobs
