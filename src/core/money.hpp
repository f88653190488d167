#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiln {

/// Whether `code` is an ISO 4217 currency Kiln knows (uppercase, e.g. "EUR").
bool IsCurrency(std::string_view code);
/// Digits after the decimal point of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD.
/// Throws std::invalid_argument for an unknown code; check IsCurrency first for user input.
int MinorUnits(std::string_view code);
/// Every known code, in table order (the most used first), e.g. for a schema's enum.
std::vector<std::string> CurrencyCodes();

/// The largest unit price Kiln accepts: 10^15 minor units, a quadrillion cents, far above any
/// real price and far enough below INT64_MAX that price × quantity sums have room before they
/// overflow.
inline constexpr int64_t kMaxUnitPrice = 1'000'000'000'000'000;

/// An amount of money: integer minor units (cents, fils, yen) plus the currency, never a double.
/// Arithmetic is checked: overflow or mixing currencies throws ValidationError instead of
/// silently wrapping around.
struct Money {
    int64_t minor_units = 0;
    std::string currency;

    Money operator+(const Money& other) const;
    Money operator-(const Money& other) const;
    /// E.g. unit price × quantity.
    Money operator*(int64_t factor) const;
    friend bool operator==(const Money&, const Money&) = default;

    /// "12.34 EUR", "1200 JPY", "-0.005 KWD": the decimal form of the minor units.
    std::string ToString() const;
};

/// a + b and a − b over amounts read back from the database (report sums, balances): each was checked when it was
/// written, so a result beyond int64 is a corrupt store, not the caller's mistake. std::overflow_error (a 500),
/// where the operators' ValidationError would tell the caller to change their input.
Money SumOfStored(const Money& a, const Money& b);
Money DifferenceOfStored(const Money& a, const Money& b);

}  // namespace kiln
