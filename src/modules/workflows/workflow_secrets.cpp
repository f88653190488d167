#include "modules/workflows/workflow_secrets.hpp"

#include <algorithm>

#include "core/redaction.hpp"

namespace kiln::workflows {

namespace {

constexpr std::string_view kSealedKey = "$kiln_sealed";

bool IsSealed(const nlohmann::json& value) {
    return value.is_object() && value.size() == 1 && value.contains(kSealedKey) && value[kSealedKey].is_string();
}

/// RFC 6901 escaping of one reference token.
std::string PointerToken(const std::string& key) {
    std::string out;
    for (const char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

using Visitor = std::function<void(const std::string&, nlohmann::json&)>;

void Walk(nlohmann::json& value, const std::string& pointer, bool secret, const Visitor& visit) {
    if (IsSealed(value) || (secret && value.is_string())) {
        visit(pointer, value);
    } else if (value.is_object()) {
        for (auto& [key, item] : value.items())
            Walk(item, pointer + "/" + PointerToken(key), secret || IsSecretName(key), visit);
    } else if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i) Walk(value[i], pointer + "/" + std::to_string(i), secret, visit);
    }
}

}  // namespace

void ForEachSecret(nlohmann::json& params, const std::vector<std::string>& secret_params, const Visitor& visit) {
    if (!params.is_object()) return;
    for (auto& [name, value] : params.items()) {
        const bool declared = std::find(secret_params.begin(), secret_params.end(), name) != secret_params.end();
        Walk(value, "/" + PointerToken(name), declared || IsSecretName(name), visit);
    }
}

nlohmann::json MaskSecrets(nlohmann::json params, const std::vector<std::string>& secret_params) {
    ForEachSecret(params, secret_params, [](const std::string&, nlohmann::json& value) { value = kMaskedSecret; });
    return params;
}

std::vector<std::string> SecretValues(nlohmann::json params, const std::vector<std::string>& secret_params) {
    std::vector<std::string> out;
    ForEachSecret(params, secret_params, [&](const std::string&, nlohmann::json& value) {
        if (value.is_string() && !value.get_ref<const std::string&>().empty()) out.push_back(value.get<std::string>());
    });
    return out;
}

nlohmann::json ScrubSecrets(const nlohmann::json& value, const std::vector<std::string>& secrets) {
    constexpr size_t kShortest = 4;  // shorter values would blank out ordinary text
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        for (const auto& secret : secrets) {
            if (secret.size() < kShortest) continue;
            for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
                text.replace(at, secret.size(), kMaskedSecret);
        }
        return text;
    }
    if (value.is_array() || value.is_object()) {
        nlohmann::json out = value;
        for (auto& item : out) item = ScrubSecrets(item, secrets);
        return out;
    }
    return value;
}

void KeepMaskedSecrets(nlohmann::json& params, const std::vector<std::string>& secret_params,
                       const nlohmann::json* stored, const std::string& where, std::vector<FieldError>& errors) {
    ForEachSecret(params, secret_params, [&](const std::string& pointer, nlohmann::json& value) {
        if (value != kMaskedSecret) return;
        const nlohmann::json::json_pointer at(pointer);
        if (stored != nullptr && stored->contains(at) && (*stored)[at].is_string()) {
            value = (*stored)[at];
        } else {
            std::string field = where + pointer;  // "actions[0].params/headers/X" → "actions[0].params.headers.X"
            std::replace(field.begin() + static_cast<std::ptrdiff_t>(where.size()), field.end(), '/', '.');
            errors.push_back({field, "is masked, but no value is stored here to keep; send the value"});
        }
    });
}

nlohmann::json SealSecrets(nlohmann::json params, const std::vector<std::string>& secret_params,
                           const SecretVault& vault, const std::string& context) {
    ForEachSecret(params, secret_params, [&](const std::string& pointer, nlohmann::json& value) {
        if (value.is_string()) value = {{kSealedKey, vault.Seal(value.get<std::string>(), context + pointer)}};
    });
    return params;
}

nlohmann::json OpenSecrets(nlohmann::json params, const std::vector<std::string>& secret_params,
                           const SecretVault& vault, const std::string& context, bool& had_plaintext) {
    ForEachSecret(params, secret_params, [&](const std::string& pointer, nlohmann::json& value) {
        if (IsSealed(value)) {
            value = vault.Open(value[kSealedKey].get<std::string>(), context + pointer);
        } else {
            had_plaintext = true;
        }
    });
    return params;
}

nlohmann::json ResealSecrets(nlohmann::json params, const SecretVault& current, const SecretVault& next,
                             const std::string& context, size_t& count) {
    ForEachSecret(params, {}, [&](const std::string& pointer, nlohmann::json& value) {
        if (!IsSealed(value)) return;
        const std::string plain = current.Open(value[kSealedKey].get<std::string>(), context + pointer);
        value = {{kSealedKey, next.Seal(plain, context + pointer)}};
        ++count;
    });
    return params;
}

}  // namespace kiln::workflows
