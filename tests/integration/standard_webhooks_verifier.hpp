#pragma once

// An independent Standard Webhooks verifier for the tests, written from the specification
// (https://www.standardwebhooks.com) with OpenSSL directly, not with Kiln's signing code: the
// secret is `whsec_` + base64 key bytes; each space-separated `v1,<base64>` entry of
// `webhook-signature` is HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>").

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sstream>
#include <string>
#include <vector>

#include "http_receiver.hpp"

namespace kiln::testing {

inline std::string Base64(const unsigned char* data, size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(n));
    return out;
}

inline std::string Unbase64(const std::string& text) {
    std::string out(3 * text.size() / 4 + 1, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return "";
    const size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    out.resize(static_cast<size_t>(n) - padding);
    return out;
}

/// The `v1,` signature the specification prescribes for this secret and message.
inline std::string ExpectedSignature(const std::string& secret, const std::string& id, const std::string& timestamp,
                                     const std::string& body) {
    const std::string key = Unbase64(secret.substr(std::string("whsec_").size()));
    const std::string content = id + "." + timestamp + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
         content.size(), mac, &length);
    return "v1," + Base64(mac, length);
}

/// The signatures of the request's webhook-signature header.
inline std::vector<std::string> Signatures(const ReceivedRequest& request) {
    std::vector<std::string> out;
    std::istringstream in(request.Header("webhook-signature").value_or(""));
    for (std::string part; in >> part;) out.push_back(part);
    return out;
}

/// True when one of the request's signatures is the one `secret` makes.
inline bool SignedWith(const ReceivedRequest& request, const std::string& secret) {
    const auto expected = ExpectedSignature(secret, request.Header("webhook-id").value_or(""),
                                            request.Header("webhook-timestamp").value_or(""), request.body);
    for (const auto& s : Signatures(request))
        if (s == expected) return true;
    return false;
}

}  // namespace kiln::testing
