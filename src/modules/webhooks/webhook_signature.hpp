#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::webhooks {

/// Standard Webhooks signing (https://www.standardwebhooks.com): a secret is `whsec_` + base64 of
/// random bytes, and a signature is `v1,` + base64(HMAC-SHA256(secret bytes, "id.timestamp.body")).

/// A fresh secret of 32 random bytes.
std::string NewSecret();
/// The key bytes of a `whsec_` secret; nullopt when it is not one (or shorter than 24 bytes).
std::optional<std::string> SecretKey(std::string_view secret);
/// "whsec_…abcd": enough to tell secrets apart in a list, useless to an attacker.
std::string SecretHint(std::string_view secret);

/// The `webhook-signature` header: one `v1,<sig>` per secret, space-separated (two during a
/// rotation, so receivers holding either secret accept the message).
std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view message_id, int64_t timestamp,
                            std::string_view body);

}  // namespace kiln::webhooks
