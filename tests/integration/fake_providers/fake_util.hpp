#pragma once

// Shared pieces of the fake providers (fake_stripe, fake_razorpay, ...): a base class that owns the
// HttpReceiver, the violation log and the failure injector, and the helpers they share (text, encodings, crypto,
// URLs and forms, JSON, time).
// Deliberately independent of Kiln's sources (OpenSSL, nlohmann::json and the standard library only),
// so a bug in Kiln's own helpers cannot hide in the fakes.

#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_receiver.hpp"

namespace kiln::testing {

/// Base of every fake provider. A derived class implements Handle() (the provider's behaviour), calls Start()
/// as the last statement of its constructor and Stop() as the first statement of its destructor, so no
/// request is served while its members are not alive.
class FakeProviderBase {
  public:
    virtual ~FakeProviderBase();
    FakeProviderBase(const FakeProviderBase&) = delete;
    FakeProviderBase& operator=(const FakeProviderBase&) = delete;

    /// "http://127.0.0.1:PORT" (no trailing slash).
    std::string base_url() const;
    /// One entry per request the real provider would have rejected (or a documented rule broken), in
    /// arrival order: "METHOD target: why".
    std::vector<std::string> violations() const;
    void ClearViolations();
    /// Every request as received, including the ones answered by FailNext.
    std::vector<ReceivedRequest> requests() const;
    /// Waits until at least `n` requests arrived; false when `limit` ran out first.
    bool WaitFor(size_t n, std::chrono::milliseconds limit) const;
    /// Answers the next `count` requests with `reply` (after reply.delay) without processing them.
    void FailNext(int count, Reply reply);

  protected:
    FakeProviderBase() = default;
    void Start();
    void Stop();
    /// The provider. Called with mutex_ held; may throw (answered 500 and logged as a violation).
    virtual Reply Handle(const ReceivedRequest& request) = 0;
    /// Records a violation "METHOD target: why" for `request`; mutex_ must be held.
    void Violation(const ReceivedRequest& request, const std::string& why);
    /// Records `entry` as it is (for fakes that word their own entries); mutex_ must be held.
    void RecordViolation(std::string entry);

    mutable std::mutex mutex_;

  private:
    Reply Dispatch(const ReceivedRequest& request);

    std::vector<std::string> violations_;
    int fail_remaining_ = 0;
    Reply fail_reply_;
    std::unique_ptr<HttpReceiver> receiver_;
};

namespace fakeutil {

using Params = std::vector<std::pair<std::string, std::string>>;

// ---- Text

std::string ToLower(std::string_view text);
/// Strips spaces, tabs, CR and LF at both ends.
std::string Trim(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
/// Splits `text` on `separator`; empty pieces are kept.
std::vector<std::string> Split(std::string_view text, char separator);

// ---- Encodings

/// Standard base64 with '=' padding.
std::string Base64Encode(std::string_view data);
/// Strict standard base64 (RFC 4648 alphabet, padding required, no whitespace); nullopt when invalid. Non-zero
/// trailing bits in the last symbol are accepted (as most decoders do).
std::optional<std::string> Base64Decode(std::string_view text);
/// Base64Decode that also rejects non-zero trailing bits (non-canonical encodings such as "Zm9vYh=="). With
/// `allow_whitespace`, CR/LF/TAB/space are skipped first (MIME line wrapping, as .NET's Convert.FromBase64String
/// accepts).
std::optional<std::string> Base64DecodeCanonical(std::string_view text, bool allow_whitespace = false);
/// base64url without padding (RFC 7515 §2).
std::string Base64UrlEncode(std::string_view data);
/// Strict base64url without padding: '=', '+', '/', impossible lengths and non-zero trailing bits are rejected.
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string HexEncode(std::string_view data);  // lowercase

// ---- Crypto and randomness

std::string Sha256(std::string_view data);                            // raw 32 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HmacSha1(std::string_view key, std::string_view data);    // raw 20 bytes
/// Equal length and equal bytes, in time independent of the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// `n` random bytes from OpenSSL's CSPRNG.
std::string RandomBytes(size_t n);
std::string RandomHex(size_t chars);
std::string RandomAlnum(size_t chars);  // [A-Za-z0-9]
/// A random RFC 4122 version-4 UUID, lowercase.
std::string Uuid4();

// ---- URLs and forms

/// Percent-decoding; `plus_as_space` for form bodies and query strings. nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);
/// RFC 3986 encoding: unreserved A-Z a-z 0-9 - _ . ~ kept, the rest %XX (uppercase); '/' kept if asked.
std::string UriEncode(std::string_view text, bool keep_slash);
/// application/x-www-form-urlencoded pairs (a form body or a query string) in order, repeats kept, '+' read as a
/// space; nullopt on a malformed escape.
std::optional<Params> ParseForm(std::string_view body);
/// Form pairs with bracket names (`a[b][c]=v`, `a[]=v`, `a[0]=v`; %5B/%5D accepted) as nested JSON objects
/// of strings; objects whose keys are exactly 0..n-1 become arrays. False with `error` set when malformed.
bool ParseBracketForm(std::string_view body, nlohmann::json& out, std::string& error);

/// Path and query of a request target ("/a/b?x=1" -> "/a/b", "x=1").
std::pair<std::string, std::string> SplitTarget(std::string_view target);
/// The media type of a Content-Type value, lowercased, without parameters.
std::string MediaType(const std::optional<std::string>& content_type);
/// "METHOD target", cut to 200 characters (followed by "...") for violation messages.
std::string RequestLabel(const ReceivedRequest& request);

// ---- JSON

/// JSON parse without exceptions; nullopt when malformed. With `max_depth`, also nullopt when arrays/objects nest
/// deeper than that (checked on the raw text first, so hostile nesting never reaches recursive copy/dump code).
std::optional<nlohmann::json> ParseJson(std::string_view text, std::optional<size_t> max_depth = std::nullopt);
/// json.dump() that never throws on invalid UTF-8 (replaces it with U+FFFD).
std::string Dump(const nlohmann::json& value);
/// Dump cut to `max_chars` (followed by "..."), for messages that quote request values.
std::string Brief(const nlohmann::json& value, size_t max_chars = 120);
/// A reply with a JSON body and `Content-Type: application/json` (after `headers`).
Reply JsonReply(int status, const nlohmann::json& body, std::vector<std::pair<std::string, std::string>> headers = {});
/// Like JsonReply but with `Content-Type: application/json; charset=utf-8`, as Shopify and DocuSign send it.
Reply JsonUtf8Reply(int status, const nlohmann::json& body,
                    std::vector<std::pair<std::string, std::string>> headers = {});

// ---- Time

/// Whole seconds since the Unix epoch.
int64_t UnixNow();
/// Seconds since the Unix epoch with the system clock's resolution.
double NowSeconds();
/// "Tue, 04 Jun 2024 12:00:00 +0000".
std::string Rfc2822(int64_t unix_time);
/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM` / `±HHMM` (a date-time
/// without a zone is rejected). Returns seconds since the epoch; nullopt when malformed.
std::optional<double> ParseIso8601(std::string_view text);
/// `YYYY-MM-DDTHH:MM:SS[.f…]Z` with `fraction_digits` digits (0 = none).
std::string FormatIso8601(double epoch_seconds, int fraction_digits = 0);

}  // namespace fakeutil
}  // namespace kiln::testing
