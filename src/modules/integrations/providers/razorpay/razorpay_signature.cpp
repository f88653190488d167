#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"

#include <algorithm>

#include "core/crypto.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr size_t kHexSignatureLength = 64;  // hex of a SHA-256 HMAC

/// Razorpay documents lowercase hex; anything else cannot be one of its signatures.
bool IsLowercaseHexSignature(std::string_view text) {
    return text.size() == kHexSignatureLength && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

}  // namespace

VerifyResult VerifyRazorpayWebhook(std::string_view header, std::string_view raw_body,
                                   const std::vector<std::string>& secrets) {
    if (header.empty()) return VerifyResult::kMissing;
    if (!IsLowercaseHexSignature(header)) return VerifyResult::kMalformed;
    bool matched = false;
    for (const std::string& secret : secrets)
        matched = crypto::ConstantTimeEquals(RazorpaySignature(secret, raw_body), header) || matched;
    return matched ? VerifyResult::kValid : VerifyResult::kMismatch;
}

bool VerifyRazorpayPayment(std::string_view order_id, std::string_view payment_id, std::string_view signature,
                           std::string_view key_secret) {
    if (!IsLowercaseHexSignature(signature)) return false;
    const std::string message = std::string(order_id) + "|" + std::string(payment_id);
    return crypto::ConstantTimeEquals(RazorpaySignature(key_secret, message), signature);
}

std::string RazorpaySignature(std::string_view secret, std::string_view message) {
    return crypto::HexEncode(crypto::HmacSha256(secret, message));
}

}  // namespace kiln::integrations::signatures
