#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// Checks a `Stripe-Signature: t=…,v1=…[,v1=…]` header against the raw body: valid when any v1 equals
/// hex(HMAC-SHA256(secret, "<t>.<body>")) for any of the secrets (several during a rotation), and t is within
/// `tolerance` of `now` in either direction.
VerifyResult VerifyStripeSignature(std::string_view header, std::string_view raw_body,
                                   const std::vector<std::string>& secrets, std::chrono::system_clock::time_point now,
                                   std::chrono::seconds tolerance = std::chrono::seconds{300});

/// "t=<t>,v1=<hex>" as Stripe would send it; for tests and local provider fakes.
std::string StripeSignatureHeader(std::string_view secret, std::string_view body, int64_t t);

}  // namespace kiln::integrations::signatures
