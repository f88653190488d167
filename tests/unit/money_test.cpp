#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "core/error.hpp"
#include "core/money.hpp"

namespace kiln {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(Currency, KnowsTheCommonCodesWithTheirMinorUnits) {
    for (const char* code : {"USD", "EUR", "GBP", "INR", "CHF", "CAD", "AUD", "NZD", "SGD", "HKD", "CNY",
                             "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "MXN", "ZAR", "AED", "SAR",
                             "TRY", "ILS", "IDR", "THB", "MYR", "PHP", "NGN", "KES", "EGP", "COP", "ARS"}) {
        EXPECT_TRUE(IsCurrency(code)) << code;
        EXPECT_EQ(MinorUnits(code), 2) << code;
    }
    for (const char* code : {"JPY", "KRW", "VND", "CLP"}) EXPECT_EQ(MinorUnits(code), 0) << code;
    for (const char* code : {"KWD", "BHD"}) EXPECT_EQ(MinorUnits(code), 3) << code;
    EXPECT_GE(CurrencyCodes().size(), 40U);
    const auto codes = CurrencyCodes();
    EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size()) << "a code is listed twice";
}

TEST(Currency, RefusesUnknownAndMisspelledCodes) {
    for (const char* code : {"", "usd", "US", "USDD", "XYZ", "EU R"}) EXPECT_FALSE(IsCurrency(code)) << code;
    EXPECT_THROW(MinorUnits("XYZ"), std::invalid_argument);
}

Money Usd(int64_t minor_units) {
    return {minor_units, "USD"};
}

TEST(Money, AddsSubtractsAndMultiplies) {
    EXPECT_EQ(Usd(1999) + Usd(1), Usd(2000));
    EXPECT_EQ(Usd(1999) - Usd(2000), Usd(-1));
    EXPECT_EQ(Usd(1999) * 3, Usd(5997));
    EXPECT_EQ((Usd(kMax - 1) + Usd(1)).minor_units, kMax);
}

TEST(Money, OverflowThrowsInsteadOfWrapping) {
    EXPECT_THROW(Usd(kMax) + Usd(1), ValidationError);
    EXPECT_THROW(Usd(kMin) - Usd(1), ValidationError);
    EXPECT_THROW(Usd(kMax / 2 + 1) * 2, ValidationError);
    EXPECT_THROW(Usd(kMin) * -1, ValidationError);
    EXPECT_THROW(Usd(1'000'000'000'000'000) * 1'000'000'000'000, ValidationError);
}

TEST(Money, RefusesToMixCurrencies) {
    const Money euro{1, "EUR"};
    EXPECT_THROW(Usd(1) + euro, ValidationError);
    EXPECT_THROW(Usd(1) - euro, ValidationError);
}

TEST(Money, PrintsMinorUnitsAsDecimals) {
    EXPECT_EQ((Money{1234, "EUR"}).ToString(), "12.34 EUR");
    EXPECT_EQ((Money{5, "EUR"}).ToString(), "0.05 EUR");
    EXPECT_EQ((Money{-5, "KWD"}).ToString(), "-0.005 KWD");
    EXPECT_EQ((Money{1200, "JPY"}).ToString(), "1200 JPY");
    EXPECT_EQ((Money{kMin, "JPY"}).ToString(), "-9223372036854775808 JPY");
}

}  // namespace
}  // namespace kiln
