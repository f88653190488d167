// Pure logic of outgoing webhooks: Standard Webhooks signatures, event patterns, the retry
// schedule, Retry-After, response sanitising, and the secret vault.
#include <gtest/gtest.h>

#include "core/backoff.hpp"
#include "core/crypto.hpp"
#include "core/secret_vault.hpp"
#include "modules/events/event_types.hpp"
#include "modules/webhooks/delivery_sender.hpp"
#include "modules/webhooks/event_patterns.hpp"
#include "modules/webhooks/retry_policy.hpp"
#include "modules/webhooks/webhook_signature.hpp"

namespace kiln::webhooks {
namespace {

using namespace std::chrono_literals;
using backoff::ParseRetryAfter;  // deliveries read Retry-After with the shared parser

TEST(WebhookSignature, MatchesTheSpecificationsTestVector) {
    // The example of the Standard Webhooks specification and its reference libraries.
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    EXPECT_EQ(SignatureHeader({secret}, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
              "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, RotationSignsWithEverySecretAndSecretsAreChecked) {
    const std::string a = NewSecret();
    const std::string b = NewSecret();
    EXPECT_NE(a, b);
    EXPECT_TRUE(a.starts_with("whsec_"));
    EXPECT_EQ(SecretKey(a)->size(), 32U);
    const auto both = SignatureHeader({a, b}, "id", 1, "{}");
    EXPECT_EQ(both, SignatureHeader({a}, "id", 1, "{}") + " " + SignatureHeader({b}, "id", 1, "{}"));
    EXPECT_NE(SignatureHeader({a}, "id", 1, "{}"), SignatureHeader({a}, "id", 2, "{}"));
    EXPECT_FALSE(SecretKey("sk_live_123"));
    EXPECT_FALSE(SecretKey("whsec_c2hvcnQ="));  // 5 bytes: too short to be a key
    EXPECT_EQ(SecretHint("whsec_abcdefgh"), "whsec_…efgh");
}

TEST(WebhookPatterns, ExactFamiliesAndEverything) {
    EXPECT_TRUE(MatchesAny({"invoice.*"}, "invoice.paid"));
    EXPECT_FALSE(MatchesAny({"invoice.*"}, "invoices.paid"));
    EXPECT_FALSE(MatchesAny({"invoice.*"}, "invoice"));
    EXPECT_TRUE(MatchesAny({"*"}, "anything.at_all"));
    EXPECT_TRUE(MatchesAny({"payment.succeeded", "invoice.paid"}, "invoice.paid"));
    EXPECT_FALSE(MatchesAny({"payment.succeeded"}, "payment.refunded"));

    events::EventTypeRegistry::Instance().Declare({"unit_thing.happened", "", nlohmann::json::object()});
    EXPECT_FALSE(PatternProblem("unit_thing.happened"));
    EXPECT_FALSE(PatternProblem("unit_thing.*"));
    EXPECT_FALSE(PatternProblem("*"));
    EXPECT_TRUE(PatternProblem("unit_thing.vanished"));
    EXPECT_TRUE(PatternProblem("unit*"));
}

TEST(WebhookRetries, FollowTheScheduleWithJitterThrottleAndRetryAfter) {
    const auto schedule = RetrySchedule::Parse("0,5,300,1800,7200,18000,36000,36000");
    EXPECT_EQ(schedule.max_attempts(), 8);
    const Timestamp now = Now();
    const auto failed = Judge(500);
    EXPECT_EQ(*NextAttemptAt(schedule, 1, failed, std::nullopt, 60s, now, 0.0), now + 5s);
    EXPECT_EQ(*NextAttemptAt(schedule, 2, failed, std::nullopt, 60s, now, 1.0), now + 360s);   // +20%
    EXPECT_EQ(*NextAttemptAt(schedule, 2, failed, std::nullopt, 60s, now, -1.0), now + 240s);  // −20%
    EXPECT_FALSE(NextAttemptAt(schedule, 8, failed, std::nullopt, 60s, now, 0.0));             // exhausted
    // 429/502/504 and timeouts wait at least the throttle delay, and as long as Retry-After asks.
    for (const int status : {429, 502, 504}) EXPECT_TRUE(Judge(status).throttled) << status;
    EXPECT_FALSE(Judge(503).throttled);
    EXPECT_TRUE(JudgeError("timeout").throttled);
    EXPECT_EQ(*NextAttemptAt(schedule, 1, Judge(429), std::nullopt, 60s, now, 0.0), now + 60s);
    EXPECT_EQ(*NextAttemptAt(schedule, 1, Judge(429), 120s, 60s, now, 0.0), now + 120s);
    EXPECT_THROW(RetrySchedule::Parse(""), std::invalid_argument);
    EXPECT_THROW(RetrySchedule::Parse("0,,5"), std::invalid_argument);
    EXPECT_THROW(RetrySchedule::Parse("0,-5"), std::invalid_argument);
}

TEST(WebhookRetries, OnlyTwoHundredsSucceed) {
    EXPECT_TRUE(Judge(200).succeeded);
    EXPECT_TRUE(Judge(204).succeeded);
    EXPECT_FALSE(Judge(301).succeeded);
    EXPECT_EQ(Judge(302).error_class, "redirect");
    EXPECT_EQ(Judge(404).error_class, "http_4xx");
    EXPECT_TRUE(Judge(410).gone);
    EXPECT_EQ(Judge(500).error_class, "http_5xx");
}

TEST(WebhookRetries, RetryAfterReadsSecondsAndDates) {
    const Timestamp now = *ParseTimestamp("2026-11-29T12:00:00Z");
    EXPECT_EQ(ParseRetryAfter("120", now), 120s);
    EXPECT_EQ(ParseRetryAfter(" 7 ", now), 7s);
    EXPECT_EQ(ParseRetryAfter("Sun, 29 Nov 2026 12:01:30 GMT", now), 90s);
    EXPECT_EQ(ParseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now), 0s);  // in the past: now
    EXPECT_EQ(ParseRetryAfter("99999999999", now), std::chrono::seconds(24 * 3600));
    EXPECT_FALSE(ParseRetryAfter("soon", now));
    EXPECT_FALSE(ParseRetryAfter("", now));
}

TEST(WebhookResponses, InvalidUtf8IsReplaced) {
    EXPECT_EQ(SanitizeUtf8("plain ok"), "plain ok");
    EXPECT_EQ(SanitizeUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(SanitizeUtf8("\xFF"
                           "a"),
              "\xEF\xBF\xBD"
              "a");
    EXPECT_EQ(SanitizeUtf8("\xC3"), "\xEF\xBF\xBD");                                  // cut sequence
    EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
    EXPECT_EQ(SanitizeUtf8(std::string("a\0b", 3)),
              "a\xEF\xBF\xBD"
              "b");
}

TEST(SecretVault, SealsPerContextAndRefusesTampering) {
    const SecretVault vault(crypto::RandomBytes(32));
    const auto sealed = vault.Seal("whsec_secret", "row:1");
    EXPECT_TRUE(sealed.starts_with("kv1:" + vault.key_id() + ":"));
    EXPECT_EQ(sealed.find("whsec_secret"), std::string::npos);
    EXPECT_NE(vault.Seal("whsec_secret", "row:1"), sealed);  // a fresh nonce every time
    EXPECT_EQ(vault.Open(sealed, "row:1"), "whsec_secret");
    EXPECT_THROW(vault.Open(sealed, "row:2"), std::runtime_error);  // copied into another row
    std::string tampered = sealed;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_THROW(vault.Open(tampered, "row:1"), std::runtime_error);
    const SecretVault other(crypto::RandomBytes(32));
    EXPECT_THROW(other.Open(sealed, "row:1"), std::runtime_error);
    EXPECT_THROW(SecretVault("short"), std::runtime_error);
}

}  // namespace
}  // namespace kiln::webhooks
