#include "core/money.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/error.hpp"

namespace kiln {

namespace {

struct Currency {
    std::string_view code;
    int minor_units;
};

// ISO 4217, the currencies most used in trade first. Minor units follow the standard, not
// everyday practice: HUF and CZK keep 2 even though cash rounds to whole units.
constexpr std::array kCurrencies{
    Currency{"USD", 2}, Currency{"EUR", 2}, Currency{"GBP", 2}, Currency{"JPY", 0}, Currency{"CNY", 2},
    Currency{"INR", 2}, Currency{"CHF", 2}, Currency{"CAD", 2}, Currency{"AUD", 2}, Currency{"NZD", 2},
    Currency{"SGD", 2}, Currency{"HKD", 2}, Currency{"SEK", 2}, Currency{"NOK", 2}, Currency{"DKK", 2},
    Currency{"PLN", 2}, Currency{"CZK", 2}, Currency{"HUF", 2}, Currency{"RON", 2}, Currency{"BGN", 2},
    Currency{"ISK", 0}, Currency{"BRL", 2}, Currency{"MXN", 2}, Currency{"ARS", 2}, Currency{"CLP", 0},
    Currency{"COP", 2}, Currency{"PEN", 2}, Currency{"UYU", 2}, Currency{"ZAR", 2}, Currency{"NGN", 2},
    Currency{"KES", 2}, Currency{"EGP", 2}, Currency{"MAD", 2}, Currency{"GHS", 2}, Currency{"AED", 2},
    Currency{"SAR", 2}, Currency{"QAR", 2}, Currency{"KWD", 3}, Currency{"BHD", 3}, Currency{"OMR", 3},
    Currency{"JOD", 3}, Currency{"TND", 3}, Currency{"TRY", 2}, Currency{"ILS", 2}, Currency{"RUB", 2},
    Currency{"UAH", 2}, Currency{"KRW", 0}, Currency{"TWD", 2}, Currency{"IDR", 2}, Currency{"THB", 2},
    Currency{"MYR", 2}, Currency{"PHP", 2}, Currency{"VND", 0}, Currency{"PKR", 2}, Currency{"BDT", 2},
    Currency{"LKR", 2}, Currency{"KZT", 2},
};

const Currency* FindCurrency(std::string_view code) {
    const auto it =
        std::find_if(kCurrencies.begin(), kCurrencies.end(), [&](const Currency& c) { return c.code == code; });
    return it == kCurrencies.end() ? nullptr : &*it;
}

[[noreturn]] void ThrowOverflow() {
    throw ValidationError("amount", "is beyond the range of amounts Kiln can hold");
}

void CheckSameCurrency(const Money& a, const Money& b) {
    if (a.currency != b.currency)
        throw ValidationError("currency", "cannot combine amounts in " + a.currency + " and " + b.currency);
}

}  // namespace

bool IsCurrency(std::string_view code) {
    return FindCurrency(code) != nullptr;
}

int MinorUnits(std::string_view code) {
    const Currency* currency = FindCurrency(code);
    if (currency == nullptr) throw std::invalid_argument("unknown currency " + std::string(code));
    return currency->minor_units;
}

std::vector<std::string> CurrencyCodes() {
    std::vector<std::string> codes;
    codes.reserve(kCurrencies.size());
    for (const auto& c : kCurrencies) codes.emplace_back(c.code);
    return codes;
}

Money Money::operator+(const Money& other) const {
    CheckSameCurrency(*this, other);
    Money sum{0, currency};
    if (__builtin_add_overflow(minor_units, other.minor_units, &sum.minor_units)) ThrowOverflow();
    return sum;
}

Money SumOfStored(const Money& a, const Money& b) {
    try {
        return a + b;
    } catch (const ValidationError&) {
        throw std::overflow_error("sums of stored amounts beyond int64");
    }
}

Money DifferenceOfStored(const Money& a, const Money& b) {
    try {
        return a - b;
    } catch (const ValidationError&) {
        throw std::overflow_error("differences of stored amounts beyond int64");
    }
}

Money Money::operator-(const Money& other) const {
    CheckSameCurrency(*this, other);
    Money difference{0, currency};
    if (__builtin_sub_overflow(minor_units, other.minor_units, &difference.minor_units)) ThrowOverflow();
    return difference;
}

Money Money::operator*(int64_t factor) const {
    Money product{0, currency};
    if (__builtin_mul_overflow(minor_units, factor, &product.minor_units)) ThrowOverflow();
    return product;
}

std::string Money::ToString() const {
    const int exponent = MinorUnits(currency);
    // Digits of the magnitude as unsigned, so INT64_MIN has a magnitude too.
    const uint64_t magnitude =
        minor_units < 0 ? uint64_t{0} - static_cast<uint64_t>(minor_units) : static_cast<uint64_t>(minor_units);
    std::string digits = std::to_string(magnitude);
    if (exponent > 0) {
        if (digits.size() <= static_cast<size_t>(exponent))
            digits.insert(0, static_cast<size_t>(exponent) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<size_t>(exponent), ".");
    }
    return (minor_units < 0 ? "-" : "") + digits + " " + currency;
}

}  // namespace kiln
