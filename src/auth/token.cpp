#include "auth/token.hpp"

#include "core/crypto.hpp"

namespace kiln::auth {

std::string GenerateToken(std::string_view prefix) {
    return std::string(prefix) + crypto::Base64UrlEncode(crypto::RandomBytes(32));
}

std::string HashToken(std::string_view token) {
    return crypto::Sha256Hex(token);
}

std::string TokenHint(std::string_view token) {
    return std::string(token.substr(0, 13)) + "…";
}

}  // namespace kiln::auth
