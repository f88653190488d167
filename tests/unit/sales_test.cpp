#include <gtest/gtest.h>

#include <limits>

#include "core/money.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/sales/sales_order_repository.hpp"

namespace kiln {
namespace {

TEST(LineTax, RoundsHalfUpInIntegers) {
    EXPECT_EQ(sales::LineTax(5997, 1800), 1079);  // 1079.46
    EXPECT_EQ(sales::LineTax(5, 1000), 1);        // 0.5 → 1
    EXPECT_EQ(sales::LineTax(4, 1000), 0);        // 0.4 → 0
    EXPECT_EQ(sales::LineTax(15, 1000), 2);       // 1.5 → 2
    EXPECT_EQ(sales::LineTax(12345, 0), 0);
    EXPECT_EQ(sales::LineTax(12345, 10000), 12345);
    EXPECT_EQ(sales::LineTax(0, 1800), 0);
}

TEST(LineTax, CannotOverflowForAnyLineTotal) {
    // The largest line total there can be, at the highest rate: the full amount, exactly.
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    EXPECT_EQ(sales::LineTax(kMax, 10000), kMax);
    EXPECT_EQ(sales::LineTax(kMaxUnitPrice * 1000 + 5000, 1800), kMaxUnitPrice / 10 * 1800 + 900);
}

TEST(DocumentNumbers, HaveAPrefixAndSixDigitsAtLeast) {
    EXPECT_EQ(common::FormatDocumentNumber("SO", 1), "SO-000001");
    EXPECT_EQ(common::FormatDocumentNumber("SO", 123456), "SO-123456");
    EXPECT_EQ(common::FormatDocumentNumber("INV", 1234567), "INV-1234567");
}

TEST(PastTense, NamesEvents) {
    EXPECT_EQ(common::PastTense("create"), "created");
    EXPECT_EQ(common::PastTense("update"), "updated");
    EXPECT_EQ(common::PastTense("confirm"), "confirmed");
    EXPECT_EQ(common::PastTense("fulfill"), "fulfilled");
    EXPECT_EQ(common::PastTense("cancel"), "cancelled");
}

}  // namespace
}  // namespace kiln
