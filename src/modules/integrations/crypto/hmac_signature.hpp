#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// How a provider writes an HMAC-SHA256 digest into its signature header.
enum class DigestEncoding {
    kBase64,        // Shopify, DocuSign Connect
    kLowercaseHex,  // Razorpay, which documents lowercase hex only
};

/// Checks signatures that are HMAC-SHA256(secret, signed bytes) written in `encoding`, as the providers that sign
/// only the body (or a message made from fields) do: valid when any header matches any secret (several during a
/// rotation). Missing when no header is non-empty; malformed when none of them decodes to a digest, so a header
/// that is not the encoding of a digest is not reported as a mismatch. A malformed header among good ones is
/// skipped, not fatal: DocuSign sends one header per Connect key and only one of them needs to be ours. Digests are
/// compared in constant time, and each secret's digest is computed once.
VerifyResult VerifyHmacSha256(const std::vector<std::string_view>& headers, std::string_view signed_bytes,
                              const std::vector<std::string>& secrets, DigestEncoding encoding);

}  // namespace kiln::integrations::signatures
