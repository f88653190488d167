#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// Checks `X-Razorpay-Signature` = hex(HMAC-SHA256(webhook secret, raw body)) against each secret. Razorpay signs no
/// timestamp, so replay protection is the caller's dedupe on the hash of the body (BodyHash).
VerifyResult VerifyRazorpayWebhook(std::string_view header, std::string_view raw_body,
                                   const std::vector<std::string>& secrets);

/// Checks the Checkout success callback: signature = hex(HMAC-SHA256(key_secret, order_id + "|" + payment_id)).
/// Pass the order id stored on our side, not the one echoed in the callback.
bool VerifyRazorpayPayment(std::string_view order_id, std::string_view payment_id, std::string_view signature,
                           std::string_view key_secret);

/// Lowercase hex HMAC-SHA256 of message, Razorpay's signature encoding everywhere.
std::string RazorpaySignature(std::string_view secret, std::string_view message);

}  // namespace kiln::integrations::signatures
