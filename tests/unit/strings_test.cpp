// core/strings: the one trim, lower-case, split and join of every layer.
#include "core/strings.hpp"

#include <gtest/gtest.h>

namespace kiln::strings {
namespace {

TEST(Strings, TrimRemovesAsciiBlanksAtBothEnds) {
    EXPECT_EQ(Trim("  a b \t"), "a b");
    EXPECT_EQ(Trim("\r\n\f\vx\n"), "x");
    EXPECT_EQ(Trim(""), "");
    EXPECT_EQ(Trim(" \t "), "");
    EXPECT_EQ(Trim("\xC2\xA0"
                   "a"),
              "\xC2\xA0"
              "a");  // a UTF-8 no-break space is not ASCII blank
}

TEST(Strings, ToLowerLowersAsciiOnly) {
    EXPECT_EQ(ToLower("Owner@Example.COM"), "owner@example.com");
    EXPECT_EQ(ToLower("Content-Type"), "content-type");
    EXPECT_EQ(ToLower("\xC3\x89"), "\xC3\x89");  // É in UTF-8 is left as it is
    EXPECT_EQ(ToLower(""), "");
}

TEST(Strings, CaseInsensitiveComparisonsIgnoreAsciiCaseOnly) {
    EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-TYPE"));
    EXPECT_FALSE(EqualsIgnoreCase("Content-Type", "Content-Typ"));
    EXPECT_FALSE(EqualsIgnoreCase("\xC3\x89", "\xC3\xA9"));  // É and é in UTF-8 differ
    EXPECT_TRUE(EqualsIgnoreCase("", ""));
    EXPECT_TRUE(StartsWithIgnoreCase("bearer kiln_pat_x", "Bearer "));
    EXPECT_TRUE(StartsWithIgnoreCase("FOR=192.0.2.1", "for="));
    EXPECT_FALSE(StartsWithIgnoreCase("fo", "for="));
    EXPECT_TRUE(StartsWithIgnoreCase("anything", ""));
}

TEST(Strings, SplitTrimmedKeepsEmptyParts) {
    EXPECT_EQ(SplitTrimmed("a, b ,c", ','), (std::vector<std::string_view>{"a", "b", "c"}));
    EXPECT_EQ(SplitTrimmed("", ','), (std::vector<std::string_view>{""}));
    EXPECT_EQ(SplitTrimmed("a,", ','), (std::vector<std::string_view>{"a", ""}));
    EXPECT_EQ(SplitTrimmed("for=1; by=2", ';'), (std::vector<std::string_view>{"for=1", "by=2"}));
}

TEST(Strings, JoinPutsTheSeparatorBetween) {
    EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
    EXPECT_EQ(Join({"a"}, ", "), "a");
    EXPECT_EQ(Join({}, ", "), "");
}

}  // namespace
}  // namespace kiln::strings
