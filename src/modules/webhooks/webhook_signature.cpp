#include "modules/webhooks/webhook_signature.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/crypto.hpp"

namespace kiln::webhooks {

namespace {

constexpr std::string_view kPrefix = "whsec_";
constexpr size_t kSecretBytes = 32;
constexpr size_t kMinSecretBytes = 24;

}  // namespace

std::string NewSecret() {
    return std::string(kPrefix) + crypto::Base64Encode(crypto::RandomBytes(kSecretBytes));
}

std::optional<std::string> SecretKey(std::string_view secret) {
    if (!secret.starts_with(kPrefix)) return std::nullopt;
    const auto encoded = secret.substr(kPrefix.size());
    std::string key(encoded.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), encoded.data(), encoded.size(),
                          nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length < kMinSecretBytes)
        return std::nullopt;
    key.resize(length);
    return key;
}

std::string SecretHint(std::string_view secret) {
    return std::string(kPrefix) + "…" + std::string(secret.substr(secret.size() >= 4 ? secret.size() - 4 : 0));
}

std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view message_id, int64_t timestamp,
                            std::string_view body) {
    std::string content;
    content.reserve(message_id.size() + body.size() + 24);
    content.append(message_id).append(".").append(std::to_string(timestamp)).append(".").append(body);
    std::string header;
    for (const auto& secret : secrets) {
        const auto key = SecretKey(secret);
        if (!key) throw std::logic_error("stored webhook secret is not a whsec_ secret");
        if (!header.empty()) header += ' ';
        header += "v1," + crypto::Base64Encode(crypto::HmacSha256(*key, content));
    }
    return header;
}

}  // namespace kiln::webhooks
