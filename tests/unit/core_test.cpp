#include <gtest/gtest.h>

#include <set>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"

namespace kiln {
namespace {

TEST(UuidV7, IsWellFormedVersion7AndVariant) {
    const std::string id = NewUuidV7();
    ASSERT_TRUE(IsUuid(id));
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

TEST(UuidV7, IdsCreatedInOrderSortInOrder) {
    std::string previous = NewUuidV7();
    std::set<std::string> seen{previous};
    for (int i = 0; i < 5000; ++i) {
        std::string next = NewUuidV7();
        ASSERT_LT(previous, next);
        seen.insert(next);
        previous = next;
    }
    EXPECT_EQ(seen.size(), 5001U);
}

TEST(Uuid, RejectsMalformedText) {
    EXPECT_FALSE(IsUuid(""));
    EXPECT_FALSE(IsUuid("01a22798-cd35-7000-b3a2-a401b2c3b73"));
    EXPECT_FALSE(IsUuid("01a22798-cd35-7000-b3a2-a401b2c3b73g"));
    EXPECT_FALSE(IsUuid("01a22798xcd35-7000-b3a2-a401b2c3b73e"));
    EXPECT_TRUE(IsUuid("01A22798-CD35-7000-B3A2-A401B2C3B73E"));
}

TEST(Timestamp, FormatsFixedWidthUtc) {
    const auto t = ParseTimestamp("2026-02-03T04:05:06.000007Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(FormatTimestamp(*t), "2026-02-03T04:05:06.000007Z");
}

TEST(Timestamp, ParsesPostgresOutputAndOffsets) {
    EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-11-29 13:42:56.12+00")), "2026-11-29T13:42:56.120000Z");
    EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-11-29T15:42:56+02:00")), "2026-11-29T13:42:56.000000Z");
    EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-11-29T08:12:56-0530")), "2026-11-29T13:42:56.000000Z");
    EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2026-11-29")), "2026-11-29T00:00:00.000000Z");
}

TEST(Timestamp, RejectsImpossibleOrMalformedText) {
    for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-29T25:00:00Z", "2026-11-29T10:00:00.Z",
                            "2026-11-29T10:00:00Zjunk", "yesterday", "2026-11-29T10:00"}) {
        EXPECT_FALSE(ParseTimestamp(bad)) << bad;
    }
}

TEST(Crypto, Sha256MatchesKnownVector) {
    EXPECT_EQ(crypto::Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacSha256MatchesRfc4231Case2) {
    EXPECT_EQ(crypto::HexEncode(crypto::HmacSha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Base64UrlRoundTrips) {
    const std::string bytes = crypto::RandomBytes(33);
    std::string decoded;
    ASSERT_TRUE(crypto::Base64UrlDecode(crypto::Base64UrlEncode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
    EXPECT_FALSE(crypto::Base64UrlDecode("not base64!", decoded));
}

TEST(Crypto, PasswordHashIsArgon2idAndVerifies) {
    const std::string hash = crypto::HashPassword("correct horse battery");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0U);
    EXPECT_TRUE(crypto::VerifyPassword("correct horse battery", hash));
    EXPECT_FALSE(crypto::VerifyPassword("correct horse battery!", hash));
}

TEST(Crypto, ConstantTimeEqualsComparesLengthAndContent) {
    EXPECT_TRUE(crypto::ConstantTimeEquals("abc", "abc"));
    EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abd"));
    EXPECT_FALSE(crypto::ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace kiln
