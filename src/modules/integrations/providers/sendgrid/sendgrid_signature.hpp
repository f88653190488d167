#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// Checks a SendGrid Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` (base64 DER ECDSA) over
/// timestamp + raw body, P-256/SHA-256, against each verification key (base64 DER SubjectPublicKeyInfo, as the
/// SendGrid settings show it). A key that does not parse as a P-256 public key never matches. SendGrid documents
/// no tolerance; the timestamp must be within `tolerance` of `now` either way.
VerifyResult VerifySendGridSignature(std::string_view signature_b64, std::string_view timestamp,
                                     std::string_view raw_body, const std::vector<std::string>& public_keys_b64_der,
                                     std::chrono::system_clock::time_point now,
                                     std::chrono::seconds tolerance = std::chrono::seconds{300});

}  // namespace kiln::integrations::signatures
