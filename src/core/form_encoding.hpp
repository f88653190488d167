#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln {

/// RFC 3986 percent-encoding: `A-Z a-z 0-9 - _ . ~` stay, every other byte becomes `%XX` (uppercase hex), space is
/// `%20`. With keep_slash, `/` also stays (for URL paths, e.g. the SigV4 canonical URI).
std::string PercentEncode(std::string_view text, bool keep_slash = false);

/// Decodes `%XX` escapes (either hex case); with plus_as_space, `+` means a space (form bodies).
/// Throws std::invalid_argument on a truncated or non-hex escape.
std::string PercentDecode(std::string_view text, bool plus_as_space = false);

/// Parses an application/x-www-form-urlencoded body into (name, value) pairs in wire order, repeated names kept.
/// `+` is a space; `name` without `=` has an empty value; empty segments (`a=1&&b=2`) are skipped.
/// Throws std::invalid_argument on a malformed percent escape.
std::vector<std::pair<std::string, std::string>> ParseFormUrlEncoded(std::string_view body);

/// Encodes pairs as `name=value&…` in the given order with PercentEncode, so brackets in Stripe's `a[b]=c` become
/// `a%5Bb%5D=c` (Stripe accepts both) and the output is also a valid URL query string.
std::string FormUrlEncode(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace kiln
