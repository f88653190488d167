#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kiln::integrations::signatures {

/// Parses a signed unix-seconds timestamp: decimal digits only (no sign, no spaces), at most what fits int64.
std::optional<int64_t> ParseUnixSeconds(std::string_view text);

/// True when `timestamp` is at most `tolerance` before or after `now`. Future timestamps are bounded too: one far
/// ahead would otherwise stay replayable for as long as it takes the clock to reach it.
bool WithinTolerance(int64_t timestamp, std::chrono::system_clock::time_point now, std::chrono::seconds tolerance);

}  // namespace kiln::integrations::signatures
