#include "modules/integrations/providers/stripe/stripe_signature.hpp"

#include <optional>

#include "core/crypto.hpp"
#include "modules/integrations/crypto/hmac_signature.hpp"
#include "modules/integrations/crypto/timestamp_window.hpp"

namespace kiln::integrations::signatures {

namespace {

struct StripeHeader {
    int64_t timestamp = 0;
    std::vector<std::string_view> v1;
};

/// Splits on ',' then on the first '=' as stripe-node does; other schemes (v0, future ones) are ignored. A header
/// without exactly one numeric t or without any v1 is malformed: two t values would leave it ambiguous which one
/// was signed.
std::optional<StripeHeader> ParseHeader(std::string_view header) {
    StripeHeader parsed;
    bool has_timestamp = false;
    while (!header.empty()) {
        const size_t comma = header.find(',');
        const std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const size_t eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = item.substr(0, eq);
        const std::string_view value = item.substr(eq + 1);
        if (key == "t") {
            const std::optional<int64_t> t = ParseUnixSeconds(value);
            if (!t || has_timestamp) return std::nullopt;
            parsed.timestamp = *t;
            has_timestamp = true;
        } else if (key == "v1") {
            parsed.v1.push_back(value);
        }
    }
    if (!has_timestamp || parsed.v1.empty()) return std::nullopt;
    return parsed;
}

/// What Stripe signs: the timestamp, a dot and the raw body.
std::string SignedPayload(std::string_view body, int64_t t) {
    return std::to_string(t) + "." + std::string(body);
}

}  // namespace

VerifyResult VerifyStripeSignature(std::string_view header, std::string_view raw_body,
                                   const std::vector<std::string>& secrets, std::chrono::system_clock::time_point now,
                                   std::chrono::seconds tolerance) {
    if (header.empty()) return VerifyResult::kMissing;
    const std::optional<StripeHeader> parsed = ParseHeader(header);
    if (!parsed) return VerifyResult::kMalformed;

    // The signature is checked before the time (as stripe-node does), so "stale" is only reported for deliveries
    // that really came from Stripe, a useful signal of clock skew or a slow queue rather than of forgery.
    // A v1 that is not a digest (or is empty) is one more signature that does not match, as for stripe-node: the
    // header itself parsed.
    const VerifyResult signature = VerifyHmacSha256(parsed->v1, SignedPayload(raw_body, parsed->timestamp), secrets,
                                                    DigestEncoding::kLowercaseHex);
    if (signature != VerifyResult::kValid) return VerifyResult::kMismatch;
    if (!WithinTolerance(parsed->timestamp, now, tolerance)) return VerifyResult::kStale;
    return VerifyResult::kValid;
}

std::string StripeSignatureHeader(std::string_view secret, std::string_view body, int64_t t) {
    return "t=" + std::to_string(t) + ",v1=" + crypto::HexEncode(crypto::HmacSha256(secret, SignedPayload(body, t)));
}

}  // namespace kiln::integrations::signatures
