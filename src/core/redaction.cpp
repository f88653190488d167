#include "core/redaction.hpp"

#include <algorithm>
#include <string>

#include "core/strings.hpp"

namespace kiln {

bool IsSecretName(std::string_view name) {
    const std::string lower = strings::ToLower(name);
    static constexpr std::string_view kMarkers[] = {"key",      "token",     "secret",    "auth",
                                                    "password", "signature", "credential"};
    return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                       [&](std::string_view marker) { return lower.find(marker) != std::string::npos; });
}

nlohmann::json RedactSecrets(const nlohmann::json& value) {
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : value) out.push_back(RedactSecrets(item));
        return out;
    }
    if (!value.is_object()) return value;
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items())
        out[key] = IsSecretName(key) && !item.is_null() ? nlohmann::json(kRedacted) : RedactSecrets(item);
    return out;
}

}  // namespace kiln
