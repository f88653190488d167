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
/// empty. Read once, when the process starts (the settings registry declares each variable).
class PlatformDefaults final {
  public:
    using Lookup = std::function<std::optional<std::string>(const std::string& name)>;
    /// Takes, from `lookup`, every variable some type names as a fallback (`x-env` in its schema).
    explicit PlatformDefaults(const Lookup& lookup);
    std::optional<std::string> Get(const std::string& variable) const;

  private:
    std::map<std::string, std::string> values_;
};

/// One integration type: its configuration's JSON Schema (draft 7), served by
/// GET /integrations/types so a console can render the form. Secret fields are `writeOnly`;
/// a field with `x-env` falls back to that environment variable (for tenants a platform admin
/// opted in); a field with `x-endpoint` says where the secrets go or whose account they act on.
struct TypeSpec {
    std::string type;
    std::string capability;  // payments, email, sms, commerce, signatures, http
    std::string title;
    nlohmann::json schema;
    /// Checks the schema cannot express (a key's prefix matching the mode, one of two fields),
    /// run on the effective configuration.
    using Check =
        std::function<void(const nlohmann::json& config, const std::string& mode, std::vector<FieldError>& errors)>;
    Check check;

    bool IsSecret(const std::string& field) const;
    std::vector<std::string> SecretFields() const;
    std::optional<std::string> EnvVariable(const std::string& field) const;
    bool IsEndpoint(const std::string& field) const;
    std::vector<std::string> EndpointFields() const;
    nlohmann::json ToJson() const;
};

/// The spec of a registered provider type (Providers().Of(type).spec()). Throws ValidationError on `type` for a
/// type Kiln does not know.
const TypeSpec& TypeOf(const std::string& type);

/// Which of the platform's fallbacks an integration may use. Nothing unless a platform admin opted
/// the tenant in (`use_platform_credentials`); even then no platform secret goes with an endpoint
/// field the tenant chose (its own shop domain, region, account), so a platform credential only
/// ever travels to where the platform configured it.
bool MayUsePlatformValue(const TypeSpec& spec, const nlohmann::json& stored, const std::string& field,
                         bool use_platform_credentials);

/// What a provider call uses: the stored fields, then the platform's fallbacks for fields left
/// empty (see MayUsePlatformValue), then the schema's defaults.
nlohmann::json EffectiveConfig(const TypeSpec& spec, const nlohmann::json& stored, const PlatformDefaults& defaults,
                               bool use_platform_credentials);

/// The fields the platform's environment fills for this integration (names only, never values).
std::vector<std::string> PlatformFilledFields(const TypeSpec& spec, const nlohmann::json& stored,
                                              const PlatformDefaults& defaults, bool use_platform_credentials);

/// Validates `stored` as the tenant saves it (unknown fields, types, patterns) and its effective
/// form (required fields, checks). Throws ValidationError with fields "config.<name>".
void ValidateConfig(const TypeSpec& spec, const nlohmann::json& stored, const nlohmann::json& effective,
                    const std::string& mode, bool use_platform_credentials);

}  // namespace kiln::integrations
