#include "core/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace kiln::crypto {

namespace {

struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    }
};

void EnsureSodium() {
    static const SodiumInit init;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    return HexEncode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

std::string Sha256(std::string_view data) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string HmacSha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out.data(), &len);
    return {reinterpret_cast<const char*>(out.data()), len};
}

std::string HmacSha1(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out.data(), &len);
    return {reinterpret_cast<const char*>(out.data()), len};
}

std::string RandomBytes(size_t count) {
    EnsureSodium();
    std::string out(count, '\0');
    randombytes_buf(out.data(), out.size());
    return out;
}

std::string HexEncode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
    return out;
}

namespace {

std::string Base64(std::string_view bytes, int variant) {
    EnsureSodium();
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      variant);
    out.resize(out.size() - 1);  // drop the terminating NUL sodium writes
    return out;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
    return Base64(bytes, sodium_base64_VARIANT_ORIGINAL);
}
std::string Base64UrlEncode(std::string_view bytes) {
    return Base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool Base64UrlDecode(std::string_view text, std::string& out) {
    EnsureSodium();
    out.assign(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    out.resize(len);
    return true;
}

bool Base64Decode(std::string_view text, std::string& out) {
    EnsureSodium();
    out.assign(text.size(), '\0');
    size_t len = 0;
    // No ignore set and a null end pointer: sodium then rejects trailing garbage, missing or extra
    // padding and non-zero unused bits, so one byte string has exactly one accepted encoding.
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        out.clear();
        return false;
    }
    out.resize(len);
    return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HashPassword(std::string_view password) {
    EnsureSodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    // INTERACTIVE limits (64 MiB, 2 passes): the libsodium recommendation for online logins.
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw std::runtime_error("argon2id hashing ran out of memory");
    return out.data();
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
    EnsureSodium();
    return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace kiln::crypto
