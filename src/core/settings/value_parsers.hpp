#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::settings {

/// The inclusive bounds of a number setting.
struct Range {
    int64_t min = 0;
    int64_t max = std::numeric_limits<int64_t>::max();
};

/// The two ranges most settings take: counts and durations where 0 means none (or off), and those
/// that need at least one.
inline constexpr Range kAnyCount{0};
inline constexpr Range kAtLeastOne{1};

// The typed parsers of setting values. Each takes the whole text (never a prefix: "12abc" is no
// number) and either returns the value or throws std::invalid_argument whose message says what the
// value must be ("must be an integer from 1 to 65535"); the registry prefixes the variable's name.

/// A decimal integer within `range`.
int64_t ParseInteger(std::string_view text, Range range);

/// A byte count within `range`: plain bytes, or a number with KiB, MiB or GiB.
int64_t ParseSize(std::string_view text, Range range);

/// 1, true, on, yes / 0, false, off, no (any case).
bool ParseBool(std::string_view text);

/// A URL whose scheme is one of `schemes` ("https"), with something after "scheme://".
std::string ParseUrl(std::string_view text, const std::vector<std::string>& schemes);

/// One of `choices`, exactly.
std::string ParseChoice(std::string_view text, const std::vector<std::string>& choices);

/// How a range reads in --help and in an error: "from 1 to 65535", "at least 1", "" for any.
std::string DescribeRange(Range range);

}  // namespace kiln::settings
