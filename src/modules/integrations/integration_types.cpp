#include "modules/integrations/integration_types.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "modules/common/json_schema.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

/// Types, patterns and ranges of the fields that are there, per property (common::JsonSchema).
/// Each type's schema compiled once, without `required` and `additionalProperties` (reported by
/// ValidateConfig itself, against the effective configuration and with clearer messages).
const common::JsonSchema& PropertySchema(const TypeSpec& spec) {
    static const auto compiled = [] {
        std::map<std::string, common::JsonSchema> schemas;
        for (const auto& provider : Providers().All()) {
            const TypeSpec& type = provider->spec();
            json properties_only = type.schema;
            properties_only.erase("required");
            properties_only.erase("additionalProperties");
            schemas.emplace(type.type, common::JsonSchema::Compile(properties_only, "config_schema"));
        }
        return schemas;
    }();
    return compiled.at(spec.type);
}

void CheckAgainstSchema(const TypeSpec& spec, const json& stored, std::vector<FieldError>& errors) {
    for (auto& error : PropertySchema(spec).Check(stored, "config"))
        if (error.field != "config") errors.push_back(std::move(error));
}

/// Whether property `field` of a type's schema is marked with the boolean annotation `flag` (writeOnly, x-endpoint).
bool IsFlagged(const json& schema, const std::string& field, const char* flag) {
    const auto& properties = schema["properties"];
    const auto it = properties.find(field);
    return it != properties.end() && it->value(flag, false);
}

/// The properties of a type's schema marked with `flag`.
std::vector<std::string> FlaggedFields(const json& schema, const char* flag) {
    std::vector<std::string> fields;
    for (const auto& [field, property] : schema["properties"].items())
        if (property.value(flag, false)) fields.push_back(field);
    return fields;
}

}  // namespace

PlatformDefaults::PlatformDefaults(const Lookup& lookup) {
    for (const auto& provider : Providers().All())
        for (const auto& [field, property] : provider->spec().schema["properties"].items())
            if (const auto variable = provider->spec().EnvVariable(field))
                if (auto value = lookup(*variable)) values_[*variable] = std::move(*value);
}

std::optional<std::string> PlatformDefaults::Get(const std::string& variable) const {
    const auto it = values_.find(variable);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

bool TypeSpec::IsSecret(const std::string& field) const {
    return IsFlagged(schema, field, "writeOnly");
}

std::vector<std::string> TypeSpec::SecretFields() const {
    return FlaggedFields(schema, "writeOnly");
}

std::optional<std::string> TypeSpec::EnvVariable(const std::string& field) const {
    const auto& properties = schema["properties"];
    const auto it = properties.find(field);
    if (it == properties.end() || !it->contains("x-env")) return std::nullopt;
    return (*it)["x-env"].get<std::string>();
}

bool TypeSpec::IsEndpoint(const std::string& field) const {
    return IsFlagged(schema, field, "x-endpoint");
}

std::vector<std::string> TypeSpec::EndpointFields() const {
    return FlaggedFields(schema, "x-endpoint");
}

nlohmann::json TypeSpec::ToJson() const {
    return {{"type", type},
            {"capability", capability},
            {"title", title},
            {"secret_fields", SecretFields()},
            {"endpoint_fields", EndpointFields()},
            {"config_schema", schema}};
}

const TypeSpec& TypeOf(const std::string& type) {
    return Providers().Of(type).spec();
}

namespace {

bool IsSet(const json& config, const std::string& field) {
    const auto it = config.find(field);
    return it != config.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty());
}

}  // namespace

bool MayUsePlatformValue(const TypeSpec& spec, const nlohmann::json& stored, const std::string& field,
                         bool use_platform_credentials) {
    if (!use_platform_credentials || !spec.EnvVariable(field)) return false;
    if (!spec.IsSecret(field)) return true;
    // A platform secret goes only where the platform's own endpoint fields (or the pinned host) send it.
    const auto endpoints = spec.EndpointFields();
    return std::none_of(endpoints.begin(), endpoints.end(),
                        [&stored](const std::string& endpoint) { return IsSet(stored, endpoint); });
}

nlohmann::json EffectiveConfig(const TypeSpec& spec, const nlohmann::json& stored, const PlatformDefaults& defaults,
                               bool use_platform_credentials) {
    const json tenant = stored.is_object() ? stored : json::object();
    json effective = tenant;
    for (const auto& [field, property] : spec.schema["properties"].items()) {
        if (IsSet(effective, field)) continue;
        if (MayUsePlatformValue(spec, tenant, field, use_platform_credentials)) {
            if (auto value = defaults.Get(*spec.EnvVariable(field))) {
                effective[field] = *value;
                continue;
            }
        }
        if (property.contains("default")) effective[field] = property["default"];
    }
    return effective;
}

std::vector<std::string> PlatformFilledFields(const TypeSpec& spec, const nlohmann::json& stored,
                                              const PlatformDefaults& defaults, bool use_platform_credentials) {
    std::vector<std::string> fields;
    const json tenant = stored.is_object() ? stored : json::object();
    for (const auto& [field, property] : spec.schema["properties"].items())
        if (!IsSet(tenant, field) && MayUsePlatformValue(spec, tenant, field, use_platform_credentials) &&
            defaults.Get(*spec.EnvVariable(field)))
            fields.push_back(field);
    return fields;
}

void ValidateConfig(const TypeSpec& spec, const nlohmann::json& stored, const nlohmann::json& effective,
                    const std::string& mode, bool use_platform_credentials) {
    std::vector<FieldError> errors;
    if (!stored.is_object()) throw ValidationError("config", "must be an object");
    const auto& properties = spec.schema["properties"];
    for (const auto& [field, value] : stored.items())
        if (!properties.contains(field)) errors.push_back({"config." + field, "is not a field of " + spec.type});
    CheckAgainstSchema(spec, stored, errors);
    if (errors.empty()) {
        for (const auto& field : spec.schema["required"]) {
            const auto it = effective.find(field.get<std::string>());
            if (it == effective.end() || (it->is_string() && it->get<std::string>().empty())) {
                std::string message = "is required";
                if (const auto variable = spec.EnvVariable(field); variable && use_platform_credentials)
                    message += " (or set " + *variable + " on the platform)";
                errors.push_back({"config." + field.get<std::string>(), message});
            }
        }
        if (spec.check) spec.check(effective, mode, errors);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors), "The integration's configuration is invalid.");
}

}  // namespace kiln::integrations
