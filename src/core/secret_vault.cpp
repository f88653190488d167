#include "core/secret_vault.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/crypto.hpp"

namespace kiln {

namespace {

constexpr std::string_view kPrefix = "kv1:";
constexpr size_t kKeyIdHexLength = 8;

std::string DecodeBase64(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), " \n",
                          &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        throw std::runtime_error("not valid base64");
    out.resize(length);
    return out;
}

/// The key file is created once with O_EXCL and 0600, so two processes starting together cannot
/// each write a different key, and no other user can read it.
std::string KeyFromFile(const std::string& data_dir) {
    const std::filesystem::path path = std::filesystem::path(data_dir) / "master.key";
    std::filesystem::create_directories(data_dir);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
        const std::string encoded = SecretVault::GenerateKey();
        const bool written = ::write(fd, encoded.data(), encoded.size()) == static_cast<ssize_t>(encoded.size());
        ::close(fd);
        if (!written) throw std::runtime_error("cannot write " + path.string());
    }
    std::ifstream in(path);
    std::string encoded;
    std::getline(in, encoded);
    if (encoded.empty()) throw std::runtime_error("cannot read the master key from " + path.string());
    return DecodeBase64(encoded);
}

}  // namespace

SecretVault SecretVault::Load(const std::string& master_key_base64, const std::string& data_dir) {
    std::string key;
    try {
        key = master_key_base64.empty() ? KeyFromFile(data_dir) : DecodeBase64(master_key_base64);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("master key: ") + e.what());
    }
    SecretVault vault(std::move(key));
    const auto next = std::filesystem::path(data_dir) / "master.key.next";
    if (master_key_base64.empty() && std::filesystem::exists(next)) {
        std::ifstream in(next);
        std::string encoded;
        std::getline(in, encoded);
        vault.AddRetiredKey(DecodeBase64(encoded));
    }
    return vault;
}

std::string SecretVault::GenerateKey() {
    return crypto::Base64Encode(crypto::RandomBytes(crypto_aead_xchacha20poly1305_ietf_KEYBYTES));
}

void SecretVault::AddRetiredKey(std::string key) {
    if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        throw std::runtime_error("master key: must be 32 bytes (base64 of 32 random bytes)");
    std::string id = crypto::Sha256Hex(key).substr(0, kKeyIdHexLength);
    if (id != key_id_) retired_.emplace_back(std::move(id), std::move(key));
}

const std::string* SecretVault::KeyFor(std::string_view key_id) const {
    if (key_id == key_id_) return &key_;
    for (const auto& [id, key] : retired_)
        if (id == key_id) return &key;
    return nullptr;
}

SecretVault::SecretVault(std::string key) : key_(std::move(key)) {
    if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        throw std::runtime_error("master key: must be 32 bytes (base64 of 32 random bytes)");
    key_id_ = crypto::Sha256Hex(key_).substr(0, kKeyIdHexLength);
}

std::string SecretVault::DeriveKey(std::string_view label) const {
    return crypto::HmacSha256(key_, label);
}

std::optional<std::string> SecretVault::DeriveKeyWith(std::string_view key_id, std::string_view label) const {
    const std::string* key = KeyFor(key_id);
    if (key == nullptr) return std::nullopt;
    return crypto::HmacSha256(*key, label);
}

std::string SecretVault::Seal(std::string_view plaintext, std::string_view context) const {
    std::string box = crypto::RandomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const size_t nonce_size = box.size();
    box.resize(nonce_size + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    auto* bytes = reinterpret_cast<unsigned char*>(box.data());
    unsigned long long sealed_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        bytes + nonce_size, &sealed_size, reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, bytes,
        reinterpret_cast<const unsigned char*>(key_.data()));
    box.resize(nonce_size + sealed_size);
    return std::string(kPrefix) + key_id_ + ":" + crypto::Base64Encode(box);
}

std::string SecretVault::Open(std::string_view sealed, std::string_view context) const {
    if (!sealed.starts_with(kPrefix) || sealed.size() < kPrefix.size() + kKeyIdHexLength + 1)
        throw std::runtime_error("not a sealed secret");
    const auto key_id = sealed.substr(kPrefix.size(), kKeyIdHexLength);
    const std::string* key = KeyFor(key_id);
    if (key == nullptr)
        throw std::runtime_error("secret sealed under master key " + std::string(key_id) + ", which is not loaded");
    const std::string box = DecodeBase64(sealed.substr(kPrefix.size() + kKeyIdHexLength + 1));
    constexpr size_t kOverhead =
        crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (box.size() < kOverhead) throw std::runtime_error("sealed secret is truncated");
    std::string plain(box.size() - kOverhead, '\0');
    unsigned long long plain_size = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(box.data());
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &plain_size, nullptr,
                                                   bytes + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                   box.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                   reinterpret_cast<const unsigned char*>(context.data()),
                                                   context.size(), bytes,
                                                   reinterpret_cast<const unsigned char*>(key->data())) != 0)
        throw std::runtime_error("sealed secret does not open: tampered, or sealed for another record");
    plain.resize(plain_size);
    return plain;
}

}  // namespace kiln
