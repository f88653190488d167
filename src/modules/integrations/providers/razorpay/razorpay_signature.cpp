#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"

#include "core/crypto.hpp"
#include "modules/integrations/crypto/hmac_signature.hpp"

namespace kiln::integrations::signatures {

VerifyResult VerifyRazorpayWebhook(std::string_view header, std::string_view raw_body,
                                   const std::vector<std::string>& secrets) {
    return VerifyHmacSha256({header}, raw_body, secrets, DigestEncoding::kLowercaseHex);
}

bool VerifyRazorpayPayment(std::string_view order_id, std::string_view payment_id, std::string_view signature,
                           std::string_view key_secret) {
    const std::string message = std::string(order_id) + "|" + std::string(payment_id);
    return VerifyHmacSha256({signature}, message, {std::string(key_secret)}, DigestEncoding::kLowercaseHex) ==
           VerifyResult::kValid;
}

std::string RazorpaySignature(std::string_view secret, std::string_view message) {
    return crypto::HexEncode(crypto::HmacSha256(secret, message));
}

}  // namespace kiln::integrations::signatures
