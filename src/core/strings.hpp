#pragma once

#include <string>
#include <string_view>
#include <vector>

/// Small ASCII text helpers shared by every layer (headers, settings, slugs, templates).
namespace kiln::strings {

/// `text` without leading and trailing ASCII whitespace (space, tab, CR, LF, FF, VT).
std::string_view Trim(std::string_view text);

/// `text` with A–Z lowered; other bytes (UTF-8 included) unchanged.
std::string ToLower(std::string_view text);

/// `text` with a–z raised; other bytes unchanged.
std::string ToUpper(std::string_view text);

/// Whether `a` and `b` are equal but for the case of A–Z (header names, schemes, auth words).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// Whether `text` starts with `prefix`, ignoring the case of A–Z.
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

/// The parts of `text` between `separator`s, each trimmed; "" gives one empty part, "a," two.
std::vector<std::string_view> SplitTrimmed(std::string_view text, char separator);

/// `items` with `separator` between them.
std::string Join(const std::vector<std::string>& items, std::string_view separator);

}  // namespace kiln::strings
