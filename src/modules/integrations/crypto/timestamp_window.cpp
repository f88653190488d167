#include "modules/integrations/crypto/timestamp_window.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kiln::integrations::signatures {

std::optional<int64_t> ParseUnixSeconds(std::string_view text) {
    // from_chars alone would accept a leading '-'; providers only send non-negative decimal seconds.
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool WithinTolerance(int64_t timestamp, std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    // Compared in whole seconds on int64: converting an attacker-chosen timestamp to a time_point (nanoseconds)
    // could overflow. timestamp >= 0 and now is a real clock, so the difference cannot overflow.
    const int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const int64_t age = now_seconds - timestamp;
    return age <= tolerance.count() && -age <= tolerance.count();
}

}  // namespace kiln::integrations::signatures
