#include "modules/integrations/crypto/jwt_rs256.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <stdexcept>

#include "core/crypto.hpp"
#include "modules/integrations/crypto/openssl_handles.hpp"

namespace kiln::integrations::signatures {

namespace {

/// Password callback that supplies no password: an encrypted PEM then fails to load instead of OpenSSL's default
/// callback prompting on the server's terminal.
int NoPassword(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
    return -1;
}

/// The RSA private key in the PEM, or null.
EvpPkeyPtr LoadRsaPrivateKey(std::string_view pem) {
    if (pem.empty() || pem.size() > INT_MAX) return nullptr;
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return nullptr;
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassword, nullptr));
    // RSA-PSS keys (EVP_PKEY_RSA_PSS) are excluded on purpose: they cannot make PKCS#1 v1.5 signatures.
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
        ERR_clear_error();  // leave no stale error behind for the next OpenSSL caller on this thread
        return nullptr;
    }
    return key;
}

std::string SignSha256(EVP_PKEY* key, std::string_view data) {
    const EvpMdCtxPtr context(EVP_MD_CTX_new());
    size_t length = 0;
    // An RSA key's default padding is PKCS#1 v1.5, which is what RS256 means.
    if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1) {
        ERR_clear_error();
        throw std::runtime_error("RS256 signing could not start");
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        ERR_clear_error();
        throw std::runtime_error("RS256 signing failed");
    }
    signature.resize(length);
    return signature;
}

}  // namespace

std::string SignJwtRs256(const nlohmann::json& header_extra, const nlohmann::json& claims,
                         std::string_view private_key_pem) {
    if (!header_extra.is_null() && !header_extra.is_object())
        throw std::invalid_argument("JWT header_extra must be a JSON object");
    if (!claims.is_object()) throw std::invalid_argument("JWT claims must be a JSON object");
    const EvpPkeyPtr key = LoadRsaPrivateKey(private_key_pem);
    if (!key) throw std::invalid_argument("not a valid RSA private key in PEM");

    nlohmann::json header = {{"typ", "JWT"}};
    if (header_extra.is_object()) header.update(header_extra);
    header["alg"] = "RS256";  // after the merge: the header must name the algorithm actually used

    const std::string signing_input =
        crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(claims.dump());
    return signing_input + "." + crypto::Base64UrlEncode(SignSha256(key.get(), signing_input));
}

bool IsRsaPrivateKeyPem(std::string_view pem) {
    return LoadRsaPrivateKey(pem) != nullptr;
}

}  // namespace kiln::integrations::signatures
