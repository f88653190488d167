#pragma once

#include <string>
#include <string_view>

namespace kiln::crypto {

/// Lowercase hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view data);

/// Raw SHA-256 digest (32 bytes).
std::string Sha256(std::string_view data);

/// Raw HMAC-SHA256 (32 bytes).
std::string HmacSha256(std::string_view key, std::string_view data);

/// Raw HMAC-SHA1 (20 bytes). Only for providers that still sign with it (Twilio); never for new designs.
std::string HmacSha1(std::string_view key, std::string_view data);

/// Cryptographically random bytes from libsodium.
std::string RandomBytes(size_t count);

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);  // no padding
/// Returns false on malformed input.
bool Base64UrlDecode(std::string_view text, std::string& out);
/// Standard alphabet with the '=' padding required; false on malformed input (including bad padding).
bool Base64Decode(std::string_view text, std::string& out);

/// Length check then constant-time comparison: never short-circuits on content.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// argon2id in libsodium's self-describing string format ("$argon2id$v=19$m=...").
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

}  // namespace kiln::crypto
