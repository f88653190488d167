#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace kiln::integrations::signatures {

/// Compact JWS `header.claims.signature` signed RS256 (RSASSA-PKCS1-v1_5 with SHA-256), base64url without padding,
/// e.g. the DocuSign JWT Grant assertion. The header is {"alg":"RS256","typ":"JWT"} merged with header_extra (an
/// object or null; it may add fields such as "kid" or replace "typ", never "alg"). claims must be an object.
/// Throws std::invalid_argument("not a valid RSA private key in PEM") when the PEM does not parse (an encrypted PEM
/// included) or is not an RSA key, std::invalid_argument for a non-object header_extra/claims.
std::string SignJwtRs256(const nlohmann::json& header_extra, const nlohmann::json& claims,
                         std::string_view private_key_pem);

/// True when the text is an unencrypted PEM private key of type RSA (PKCS#8 or PKCS#1): for validating an
/// integration's configuration when it is saved rather than at the first token request.
bool IsRsaPrivateKeyPem(std::string_view pem);

}  // namespace kiln::integrations::signatures
