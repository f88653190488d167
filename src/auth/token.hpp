#pragma once

#include <string>
#include <string_view>

namespace kiln::auth {

inline constexpr std::string_view kSessionTokenPrefix = "kiln_ses_";
inline constexpr std::string_view kApiTokenPrefix = "kiln_pat_";

/// A new bearer token: prefix + 256 random bits in base64url. Only its hash is ever stored.
std::string GenerateToken(std::string_view prefix);

/// What the database stores and looks up: SHA-256 hex of the whole token. A fast hash is
/// right here (unlike passwords) because the token carries 256 bits of entropy.
std::string HashToken(std::string_view token);

/// The first characters, for recognising a token in a list without revealing it.
std::string TokenHint(std::string_view token);

}  // namespace kiln::auth
