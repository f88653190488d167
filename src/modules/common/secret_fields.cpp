#include "modules/common/secret_fields.hpp"

#include "core/error.hpp"

namespace kiln::common {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr size_t kShownTail = 4;
constexpr size_t kMaxPrefix = 8;
// Below this length, showing four characters would show too much of the secret.
constexpr size_t kMinLengthToShowTail = 16;

bool IsSecretString(const IsSecretField& is_secret, const std::string& field, const nlohmann::json& value) {
    return value.is_string() && is_secret(field);
}

}  // namespace

std::string MaskSecret(std::string_view secret) {
    if (secret.size() < kMinLengthToShowTail) return std::string(kEllipsis);
    size_t prefix = 0;
    for (size_t i = 0; i < kMaxPrefix && i < secret.size(); ++i)
        if (secret[i] == '_' || secret[i] == '.') prefix = i + 1;
    // The tail starts on a character, not inside one: a UTF-8 continuation byte is not shown.
    size_t tail = secret.size() - kShownTail;
    while (tail < secret.size() && (static_cast<unsigned char>(secret[tail]) & 0xC0U) == 0x80U) ++tail;
    return std::string(secret.substr(0, prefix)) + std::string(kEllipsis) + std::string(secret.substr(tail));
}

bool LooksMasked(std::string_view value) {
    return value.find(kEllipsis) != std::string_view::npos;
}

nlohmann::json MaskSecretFields(const nlohmann::json& config, const IsSecretField& is_secret) {
    nlohmann::json shown = nlohmann::json::object();
    if (!config.is_object()) return shown;
    for (const auto& [field, value] : config.items())
        shown[field] =
            IsSecretString(is_secret, field, value) ? nlohmann::json(MaskSecret(value.get<std::string>())) : value;
    return shown;
}

nlohmann::json SealSecretFields(const SecretVault& vault, nlohmann::json config, const IsSecretField& is_secret,
                                const SealContextOf& context) {
    for (auto& [field, value] : config.items())
        if (IsSecretString(is_secret, field, value)) value = vault.Seal(value.get<std::string>(), context(field));
    return config;
}

nlohmann::json OpenSecretFields(const SecretVault& vault, nlohmann::json config, const IsSecretField& is_secret,
                                const SealContextOf& context) {
    for (auto& [field, value] : config.items())
        if (IsSecretString(is_secret, field, value)) value = vault.Open(value.get<std::string>(), context(field));
    return config;
}

nlohmann::json MergeConfig(const IsSecretField& is_secret, const nlohmann::json& stored, const nlohmann::json& update,
                           std::vector<std::string>& changed, const std::string& detail) {
    nlohmann::json merged = stored;
    std::vector<FieldError> errors;
    for (const auto& [field, value] : update.items()) {
        const auto current = stored.find(field);
        if (value.is_null()) {
            if (current != stored.end()) changed.push_back(field);
            merged.erase(field);
            continue;
        }
        if (IsSecretString(is_secret, field, value) && LooksMasked(value.get<std::string>())) {
            if (current == stored.end() || !current->is_string() ||
                MaskSecret(current->get<std::string>()) != value.get<std::string>())
                errors.push_back({"config." + field,
                                  "is a masked value that does not match the stored secret: send the new secret, or "
                                  "the value exactly as shown to keep it"});
            continue;
        }
        if (current == stored.end() || *current != value) changed.push_back(field);
        merged[field] = value;
    }
    if (!errors.empty()) throw ValidationError(std::move(errors), detail);
    return merged;
}

void RefuseMaskedSecrets(const IsSecretField& is_secret, const nlohmann::json& config, const std::string& detail) {
    std::vector<FieldError> errors;
    for (const auto& [field, value] : config.items())
        if (IsSecretString(is_secret, field, value) && LooksMasked(value.get<std::string>()))
            errors.push_back({"config." + field, "is a masked value: send the secret itself"});
    if (!errors.empty()) throw ValidationError(std::move(errors), detail);
}

}  // namespace kiln::common
