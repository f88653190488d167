#include "core/backoff.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <random>
#include <string>

#include "core/strings.hpp"

namespace kiln::backoff {

namespace {

using std::chrono::milliseconds;

/// Digits with an optional fraction ("120", "1.5"), as milliseconds; nullopt for anything else.
std::optional<milliseconds> DeltaSeconds(std::string_view text) {
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    const auto is_digits = [](std::string_view part) {
        return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || !is_digits(whole) || !is_digits(fraction)) return std::nullopt;
    if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
    // More digits than a day's seconds have: the ceiling, without parsing a number that may not fit.
    if (whole.size() > 9) return kMaxRetryAfter;
    int64_t seconds = 0;
    std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    int64_t millis = 0;
    for (size_t i = 0; i < 3; ++i) millis = millis * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    return std::min(milliseconds(seconds * 1000 + millis), kMaxRetryAfter);
}

}  // namespace

milliseconds Exponential(milliseconds base, int doublings, milliseconds cap) {
    const int64_t start = std::max<int64_t>(base.count(), 0);
    const int64_t ceiling = std::max<int64_t>(cap.count(), 0);
    const int shift = std::clamp(doublings, 0, 62);
    // start · 2^shift > ceiling exactly when start > ⌊ceiling / 2^shift⌋, so nothing is shifted out.
    if (start > (ceiling >> shift)) return milliseconds(ceiling);
    return milliseconds(start << shift);
}

double Jitter(double low, double high) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(low, high)(engine);
}

milliseconds Scaled(milliseconds delay, double factor) {
    const double scaled = static_cast<double>(delay.count()) * factor;
    return milliseconds(std::max<int64_t>(0, std::llround(scaled)));
}

milliseconds Spread(milliseconds delay, double fraction, double jitter) {
    return Scaled(delay, 1.0 + fraction * std::clamp(jitter, -1.0, 1.0));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, Timestamp now) {
    value = strings::Trim(value);
    if (value.empty()) return std::nullopt;
    if (const auto delta = DeltaSeconds(value)) return delta;
    std::tm parts{};
    const std::string text(value);
    const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (end == nullptr || *end != '\0') return std::nullopt;
    const auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
    const auto wait = std::chrono::duration_cast<milliseconds>(at - now);
    return std::clamp(wait, milliseconds(0), kMaxRetryAfter);
}

}  // namespace kiln::backoff
