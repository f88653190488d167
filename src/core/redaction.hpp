#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace kiln {

/// The one rule for which names hold secrets, wherever Kiln redacts (audit entries, workflow
/// parameters): a name containing key, token, secret, auth, password, signature or credential,
/// in any case ("X-API-Key", "Authorization", "webhook_secret"). It errs on the side of hiding.
bool IsSecretName(std::string_view name);

/// What a redacted value reads as, in audit entries and events.
inline constexpr std::string_view kRedacted = "[REDACTED]";

/// Replaces the non-null values of secret-named object keys (IsSecretName) at any depth.
nlohmann::json RedactSecrets(const nlohmann::json& value);

}  // namespace kiln
