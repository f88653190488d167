#include "modules/integrations/providers/shopify/shopify_signature.hpp"

#include "core/crypto.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr size_t kHmacSha256Bytes = 32;

}  // namespace

VerifyResult VerifyShopifyWebhook(std::string_view header_b64, std::string_view raw_body,
                                  const std::vector<std::string>& secrets) {
    if (header_b64.empty()) return VerifyResult::kMissing;
    // Decoded first, so a header that is not the base64 of a digest is reported as malformed, not as a mismatch.
    std::string received;
    if (!crypto::Base64Decode(header_b64, received) || received.size() != kHmacSha256Bytes)
        return VerifyResult::kMalformed;
    bool matched = false;
    for (const std::string& secret : secrets)
        matched = crypto::ConstantTimeEquals(crypto::HmacSha256(secret, raw_body), received) || matched;
    return matched ? VerifyResult::kValid : VerifyResult::kMismatch;
}

}  // namespace kiln::integrations::signatures
