#pragma once

// The building blocks of the providers' configuration schemas (JSON Schema draft 7, see TypeSpec) and of the checks
// a schema cannot express, so that every provider writes its fields the same way.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "modules/integrations/integration_types.hpp"

namespace kiln::integrations::config_schema {

/// A non-empty string field, with a pattern when one is given.
nlohmann::json Text(const std::string& description, const std::string& pattern = "");
/// A write-only string field: stored in the vault, shown masked, long enough for PEM keys.
nlohmann::json Secret(const std::string& description, const std::string& pattern = "");
/// `field`, falling back to the platform's environment variable `variable` (for tenants opted in).
nlohmann::json FromEnv(nlohmann::json field, const std::string& variable);
/// A field that says where the integration's secrets go or whose account they act on (a host, a region, an
/// account): changing it requires sending the secrets again, and no platform secret is combined with it.
nlohmann::json Endpoint(nlohmann::json field);
nlohmann::json WithDefault(nlohmann::json field, nlohmann::json value);

/// A type's spec. Its schema, titled `title` like the type, has `properties` plus the fields every type accepts (rate
/// limit, timeout) and refuses unknown fields.
TypeSpec Spec(std::string type, std::string capability, const std::string& title, nlohmann::json properties,
              const std::vector<std::string>& required, TypeSpec::Check check = nullptr);

extern const std::string kEmailPattern;
extern const std::string kE164Pattern;
extern const std::string kUrlPattern;

/// The string `field` of a configuration, "" when absent or not a string.
std::string StringField(const nlohmann::json& config, const std::string& field);
/// Stripe and Razorpay keys say which environment they belong to: the key in `field` must be of the integration's
/// `mode`.
TypeSpec::Check KeyMatchesMode(std::string field);
/// At least one of `a` and `b` is set.
TypeSpec::Check RequiresOneOf(std::string a, std::string b);

}  // namespace kiln::integrations::config_schema
