#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace kiln::integrations {

/// The platform-wide credentials of the brief's environment variables (STRIPE_API_KEY,
/// SENDGRID_API_KEY, AWS_REGION, …): what an integration falls back to for a field it leaves
/// empty. Read once, when the process starts.
class PlatformDefaults final {
  public:
    using Lookup = std::function<std::optional<std::string>(const std::string& name)>;
    /// Reads every variable some type names as a fallback (`x-env` in its schema).
    static PlatformDefaults FromEnvironment();
    explicit PlatformDefaults(const Lookup& lookup);
    std::optional<std::string> Get(const std::string& variable) const;

  private:
    std::map<std::string, std::string> values_;
};

/// One integration type: its configuration's JSON Schema (draft 7), served by
/// GET /integrations/types so a console can render the form. Secret fields are `writeOnly`;
/// a field with `x-env` falls back to that environment variable.
struct TypeSpec {
    std::string type;
    std::string capability;  // payments, email, sms, commerce, signatures, http
    std::string title;
    nlohmann::json schema;
    /// Checks the schema cannot express (a key's prefix matching the mode, one of two fields),
    /// run on the effective configuration.
    std::function<void(const nlohmann::json& config, const std::string& mode, std::vector<FieldError>& errors)> check;

    bool IsSecret(const std::string& field) const;
    std::vector<std::string> SecretFields() const;
    std::optional<std::string> EnvVariable(const std::string& field) const;
    nlohmann::json ToJson() const;
};

const std::vector<TypeSpec>& IntegrationTypes();
/// Throws ValidationError on `type` for a type Kiln does not know.
const TypeSpec& TypeOf(const std::string& type);

/// What a provider call uses: the stored fields, then the platform's fallbacks for fields left
/// empty, then the schema's defaults.
nlohmann::json EffectiveConfig(const TypeSpec& spec, const nlohmann::json& stored, const PlatformDefaults& defaults);

/// Validates `stored` as the tenant saves it (unknown fields, types, patterns) and its effective
/// form (required fields, checks). Throws ValidationError with fields "config.<name>".
void ValidateConfig(const TypeSpec& spec, const nlohmann::json& stored, const nlohmann::json& effective,
                    const std::string& mode);

}  // namespace kiln::integrations
