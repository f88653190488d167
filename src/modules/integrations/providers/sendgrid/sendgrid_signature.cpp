#include "modules/integrations/providers/sendgrid/sendgrid_signature.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <array>
#include <climits>
#include <optional>

#include "core/crypto.hpp"
#include "modules/integrations/crypto/openssl_handles.hpp"
#include "modules/integrations/crypto/timestamp_window.hpp"

namespace kiln::integrations::signatures {

namespace {

/// The public key if the base64 DER is an EC key on P-256; null otherwise. Checking the curve keeps a key pasted
/// for another purpose from being accepted with weaker parameters.
EvpPkeyPtr LoadP256PublicKey(std::string_view key_b64_der) {
    std::string der;
    if (!crypto::Base64Decode(key_b64_der, der) || der.empty() || der.size() > LONG_MAX) return nullptr;
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
    if (!key) {
        ERR_clear_error();  // leave no stale error behind for the next OpenSSL caller on this thread
        return nullptr;
    }
    std::array<char, 64> group{};
    size_t group_length = 0;
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC ||
        EVP_PKEY_get_group_name(key.get(), group.data(), group.size(), &group_length) != 1 ||
        std::string_view(group.data(), group_length) != "prime256v1") {
        ERR_clear_error();
        return nullptr;
    }
    return key;
}

bool VerifyWithKey(EVP_PKEY* key, std::string_view signature_der, std::string_view message) {
    const EvpMdCtxPtr context(EVP_MD_CTX_new());
    if (!context) return false;
    // EVP_DigestVerify returns 1 for a good signature, 0 for a bad one and <0 for a DER that does not parse; only 1
    // counts.
    const bool ok = EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature_der.data()),
                                     signature_der.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size()) == 1;
    ERR_clear_error();
    return ok;
}

}  // namespace

VerifyResult VerifySendGridSignature(std::string_view signature_b64, std::string_view timestamp,
                                     std::string_view raw_body, const std::vector<std::string>& public_keys_b64_der,
                                     std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (signature_b64.empty() || timestamp.empty()) return VerifyResult::kMissing;
    const std::optional<int64_t> seconds = ParseUnixSeconds(timestamp);
    std::string signature_der;
    if (!seconds || !crypto::Base64Decode(signature_b64, signature_der)) return VerifyResult::kMalformed;

    // The header text is signed as received, not the re-printed number, so "0123" stays "0123".
    const std::string message = std::string(timestamp) + std::string(raw_body);
    bool matched = false;
    for (const std::string& key_b64 : public_keys_b64_der) {
        const EvpPkeyPtr key = LoadP256PublicKey(key_b64);
        if (key && VerifyWithKey(key.get(), signature_der, message)) matched = true;
    }
    // Signature before time, as for Stripe: "stale" then means a genuine but late delivery.
    if (!matched) return VerifyResult::kMismatch;
    if (!WithinTolerance(*seconds, now, tolerance)) return VerifyResult::kStale;
    return VerifyResult::kValid;
}

}  // namespace kiln::integrations::signatures
