#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/secret_vault.hpp"

namespace kiln::workflows {

/// Secrets in action parameters (issue 12, item 6): a string value is a secret when it lies under
/// one of the action type's `secret_params` (the http_request headers) or under any key with a
/// secret-looking name (IsSecretName: "api_key", "Authorization", …), at any depth. Such values are
/// sealed with the SecretVault in the database, bound to the rule, action and place, and shown to
/// no one: responses, dry runs, events, audit entries and logs carry kMaskedSecret instead. A
/// client that sends kMaskedSecret back on update keeps the stored value.
inline constexpr std::string_view kMaskedSecret = "********";

/// Calls `visit(pointer, value)` for every secret string (JSON pointer into `params`, e.g.
/// "/headers/X-API-Key"). Sealed values in stored params count as secrets too.
void ForEachSecret(nlohmann::json& params, const std::vector<std::string>& secret_params,
                   const std::function<void(const std::string& pointer, nlohmann::json& value)>& visit);

/// `params` with every secret replaced by kMaskedSecret.
nlohmann::json MaskSecrets(nlohmann::json params, const std::vector<std::string>& secret_params);

/// The secret values themselves (non-empty), to scrub them from run results.
std::vector<std::string> SecretValues(nlohmann::json params, const std::vector<std::string>& secret_params);

/// Replaces every occurrence of each of `secrets` (four characters or longer) in the strings of
/// `value` with kMaskedSecret: a target that echoes a header back must not put it in the log.
nlohmann::json ScrubSecrets(const nlohmann::json& value, const std::vector<std::string>& secrets);

/// On update, a secret sent back as kMaskedSecret takes the value stored at the same place of the
/// same action (same index and type). A masked value with nothing stored there is an error under
/// `where`.
void KeepMaskedSecrets(nlohmann::json& params, const std::vector<std::string>& secret_params,
                       const nlohmann::json* stored, const std::string& where, std::vector<FieldError>& errors);

/// The stored form: each secret becomes {"$kiln_sealed": "kv1:…"}, bound to `context` + pointer.
nlohmann::json SealSecrets(nlohmann::json params, const std::vector<std::string>& secret_params,
                           const SecretVault& vault, const std::string& context);
/// Back to clear text. A secret stored in clear (a rule saved before secrets were sealed) is kept
/// as it is; `had_plaintext` tells the caller to store the rule again.
nlohmann::json OpenSecrets(nlohmann::json params, const std::vector<std::string>& secret_params,
                           const SecretVault& vault, const std::string& context, bool& had_plaintext);
/// Re-seals every sealed value under `next` (master key rotation).
nlohmann::json ResealSecrets(nlohmann::json params, const SecretVault& current, const SecretVault& next,
                             const std::string& context, size_t& count);

}  // namespace kiln::workflows
