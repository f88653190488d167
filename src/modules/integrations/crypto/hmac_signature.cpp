#include "modules/integrations/crypto/hmac_signature.hpp"

#include "core/crypto.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr size_t kHmacSha256Bytes = 32;

int LowercaseHexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// The digest a header carries into `digest`; false when the header is not the encoding of an HMAC-SHA256 digest.
bool DecodeDigest(std::string_view header, DigestEncoding encoding, std::string& digest) {
    digest.clear();
    if (encoding == DigestEncoding::kBase64) {
        if (!crypto::Base64Decode(header, digest)) return false;
    } else {
        if (header.size() != 2 * kHmacSha256Bytes) return false;
        for (size_t i = 0; i < header.size(); i += 2) {
            const int high = LowercaseHexValue(header[i]);
            const int low = LowercaseHexValue(header[i + 1]);
            if (high < 0 || low < 0) return false;
            digest.push_back(static_cast<char>((high << 4) | low));
        }
    }
    return digest.size() == kHmacSha256Bytes;
}

}  // namespace

VerifyResult VerifyHmacSha256(const std::vector<std::string_view>& headers, std::string_view signed_bytes,
                              const std::vector<std::string>& secrets, DigestEncoding encoding) {
    std::vector<std::string> expected;
    expected.reserve(secrets.size());
    for (const std::string& secret : secrets) expected.push_back(crypto::HmacSha256(secret, signed_bytes));

    bool any_present = false;
    bool any_well_formed = false;
    bool matched = false;
    for (const std::string_view header : headers) {
        if (header.empty()) continue;
        any_present = true;
        std::string received;
        if (!DecodeDigest(header, encoding, received)) continue;
        any_well_formed = true;
        // No early exit: every header is compared with every secret, so timing says nothing about which matched.
        for (const std::string& digest : expected) matched = crypto::ConstantTimeEquals(digest, received) || matched;
    }
    if (matched) return VerifyResult::kValid;
    if (!any_present) return VerifyResult::kMissing;
    return any_well_formed ? VerifyResult::kMismatch : VerifyResult::kMalformed;
}

}  // namespace kiln::integrations::signatures
