#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/settings/setting.hpp"
#include "core/settings/value_parsers.hpp"

/// The kinds of setting, each a constructor binding a Setting to the field of a settings struct
/// that holds its default: the field's value when the Setting is made is the default shown.
namespace kiln::settings {

/// A setting of any other kind: the caller's own parser (which throws std::invalid_argument
/// saying what the value must be), default text and kind text. The kinds below are made with it.
Setting Custom(std::string variable, std::string default_text, std::string kind, std::string help,
               std::function<void(std::string_view)> assign);

/// `range` narrowed to what `Int` holds, so that a value always fits the field.
template <typename Int>
requires std::is_integral_v<Int>
constexpr Range Fitting(Range range) {
    if (std::cmp_less(std::numeric_limits<Int>::max(), range.max)) range.max = std::numeric_limits<Int>::max();
    if (std::cmp_greater(std::numeric_limits<Int>::min(), range.min)) range.min = std::numeric_limits<Int>::min();
    return range;
}

/// An integer within `range` (int, size_t, …).
template <typename Int>
requires std::is_integral_v<Int> Setting Integer(std::string variable, Int& target, Range range, std::string help) {
    range = Fitting<Int>(range);
    return Custom(std::move(variable), std::to_string(target), "integer " + DescribeRange(range), std::move(help),
                  [&target, range](std::string_view text) { target = static_cast<Int>(ParseInteger(text, range)); });
}

/// A byte count within `range` (plain bytes or KiB, MiB, GiB).
Setting Size(std::string variable, size_t& target, Range range, std::string help);

/// A whole number of the field's own unit (the variable's name says it: _SECONDS, _MS, _HOURS).
template <typename Rep, typename Period>
Setting Duration(std::string variable, std::chrono::duration<Rep, Period>& target, Range range, std::string help) {
    using Unit = std::chrono::duration<Rep, Period>;
    range = Fitting<Rep>(range);
    const char* unit = std::is_same_v<Period, std::milli>         ? "milliseconds"
                       : std::is_same_v<Period, std::ratio<1>>    ? "seconds"
                       : std::is_same_v<Period, std::ratio<60>>   ? "minutes"
                       : std::is_same_v<Period, std::ratio<3600>> ? "hours"
                                                                  : "units";
    std::string kind = std::string(unit) + " " + DescribeRange(range);
    return Custom(
        std::move(variable), std::to_string(target.count()), std::move(kind), std::move(help),
        [&target, range](std::string_view text) { target = Unit(static_cast<Rep>(ParseInteger(text, range))); });
}

/// true or false (1/0, on/off, yes/no).
Setting Bool(std::string variable, bool& target, std::string help);

/// Any text; the default shows as "(none)" when the field is empty.
Setting Text(std::string variable, std::string& target, std::string help);

/// A URL with one of `schemes`.
Setting Url(std::string variable, std::string& target, std::vector<std::string> schemes, std::string help);

/// One of `choices`.
Setting Choice(std::string variable, std::string& target, std::vector<std::string> choices, std::string help);

}  // namespace kiln::settings
