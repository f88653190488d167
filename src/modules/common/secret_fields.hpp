#pragma once

// Secret fields of a configuration (an integration's, a plugin's): sealed with the vault at rest, masked in every
// answer, audit row and event, and kept when a client sends the mask back. One implementation for every module that
// stores configurations with secrets.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret_vault.hpp"

namespace kiln::common {

/// How a stored secret is shown: its non-secret prefix (up to the last `_` or `.` within the first
/// eight characters, e.g. "sk_test_", "SG.") and its last four characters around an ellipsis
/// ("sk_test_…4242"). Short secrets show no characters at all.
std::string MaskSecret(std::string_view secret);

/// A value a client sends back as it was shown: it holds the ellipsis the mask uses.
bool LooksMasked(std::string_view value);

/// Whether a top-level field of a configuration is a secret (the type's or the plugin's schema says so).
using IsSecretField = std::function<bool(const std::string& field)>;
/// The associated data a sealed field is bound to ("integrations.config:<id>:<field>"), so that a sealed value
/// copied to another row or field does not open there.
using SealContextOf = std::function<std::string(const std::string& field)>;

/// `config` with every secret string field masked: what answers, audit rows and events show.
nlohmann::json MaskSecretFields(const nlohmann::json& config, const IsSecretField& is_secret);

/// `config` as stored: every secret string field sealed with `vault`.
nlohmann::json SealSecretFields(const SecretVault& vault, nlohmann::json config, const IsSecretField& is_secret,
                                const SealContextOf& context);
/// The stored `config` with every secret string field opened (in memory only).
nlohmann::json OpenSecretFields(const SecretVault& vault, nlohmann::json config, const IsSecretField& is_secret,
                                const SealContextOf& context);

/// The configuration an update makes: the fields it names replace the stored ones (null removes one), fields it does
/// not name are kept, and a secret sent back exactly as it was shown (masked) keeps the stored secret; a mask that
/// does not match is a ValidationError on "config.<field>" (with `detail`). `changed` gets the names of the fields
/// that changed (names only: values may be secrets).
nlohmann::json MergeConfig(const IsSecretField& is_secret, const nlohmann::json& stored, const nlohmann::json& update,
                           std::vector<std::string>& changed, const std::string& detail);

/// A new configuration's secrets must be the secrets themselves: a masked value (a configuration copied as shown)
/// would be saved as the credential. ValidationError on "config.<field>" (with `detail`).
void RefuseMaskedSecrets(const IsSecretField& is_secret, const nlohmann::json& config, const std::string& detail);

}  // namespace kiln::common
