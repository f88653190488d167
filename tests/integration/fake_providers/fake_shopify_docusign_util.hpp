#pragma once

// Small helpers shared by FakeShopify and FakeDocuSign (and their self-test): encodings, HMAC, URL and
// timestamp parsing, JSON replies. Independent of Kiln's sources on purpose: a fake that shared Kiln's
// encoders would agree with Kiln's bugs.
//
// The functions live in an inline namespace so that they cannot clash at link time with helpers of the same
// name that other fakes put into kiln::testing::fake_detail; callers still write fake_detail::Base64Encode.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../http_receiver.hpp"

namespace kiln::testing::fake_detail {
inline namespace shopify_docusign {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Standard base64 with '=' padding.
std::string Base64Encode(std::string_view bytes);
/// Strict standard base64: padding required, no URL alphabet. With `allow_whitespace`, CR/LF/TAB/space are
/// skipped (MIME line wrapping, as .NET's Convert.FromBase64String accepts). nullopt on anything else.
std::optional<std::string> Base64Decode(std::string_view text, bool allow_whitespace = false);
/// base64url without padding (RFC 7515 §2).
std::string Base64UrlEncode(std::string_view bytes);
/// Strict base64url without padding: '=', '+', '/' and impossible lengths are rejected.
std::optional<std::string> Base64UrlDecode(std::string_view text);
/// Lowercase hex.
std::string HexEncode(std::string_view bytes);
/// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view message);

/// Percent-decoding; '+' becomes a space when `plus_is_space` (forms, query strings). nullopt on a bad escape.
std::optional<std::string> UrlDecode(std::string_view text, bool plus_is_space = true);
/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);
/// Parses `a=1&b=2` (query string or x-www-form-urlencoded body). nullopt on a bad escape.
std::optional<QueryParams> ParseQuery(std::string_view query);
/// Splits a request target into path and query (without '?').
std::pair<std::string, std::string> SplitTarget(const std::string& target);
/// Splits `text` on `separator` (empty pieces kept).
std::vector<std::string> Split(std::string_view text, char separator);

/// `n` random bytes from OpenSSL's CSPRNG.
std::string RandomBytes(size_t n);
/// A random RFC 4122 version-4 UUID, lowercase.
std::string Uuid4();

/// Seconds since the Unix epoch (system clock).
double NowSeconds();
/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM` / `±HHMM` (a date-time
/// without a zone is rejected). Returns seconds since the epoch; nullopt when malformed.
std::optional<double> ParseIso8601(std::string_view text);
/// `YYYY-MM-DDTHH:MM:SS[.f…]Z` with `fraction_digits` digits (0 = none).
std::string FormatIso8601(double epoch_seconds, int fraction_digits = 0);

/// Parses request-controlled JSON without exceptions: a discarded value when malformed or nested deeper than
/// `max_depth` (checked on the raw text first, so hostile nesting never reaches recursive copy/dump code).
nlohmann::json ParseJson(std::string_view text, size_t max_depth = 100);
/// JSON serialisation that never throws on invalid UTF-8 (replaced by U+FFFD).
std::string SafeDump(const nlohmann::json& value);
/// SafeDump cut to `max_chars` (for messages that quote request values).
std::string Brief(const nlohmann::json& value, size_t max_chars = 120);
/// A reply with a JSON body and `Content-Type: application/json; charset=utf-8`.
Reply JsonReply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace shopify_docusign
}  // namespace kiln::testing::fake_detail
