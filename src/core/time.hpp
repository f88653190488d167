#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kiln {

/// UTC instant with microsecond precision: what both databases store.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

Timestamp Now();

/// "2026-11-29T13:42:56.123456Z": fixed width, so text comparison is time comparison.
std::string FormatTimestamp(Timestamp t);

/// Accepts ISO 8601 / RFC 3339 with 'T' or ' ', optional fraction, and 'Z' or a numeric offset
/// (as PostgreSQL prints timestamptz). A bare date means its midnight UTC.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace kiln
