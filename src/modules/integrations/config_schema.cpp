#include "modules/integrations/config_schema.hpp"

namespace kiln::integrations::config_schema {

using nlohmann::json;

const std::string kEmailPattern = R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)";
const std::string kE164Pattern = R"(^\+[1-9][0-9]{1,14}$)";
const std::string kUrlPattern = R"(^https?://[^\s]+$)";

json Text(const std::string& description, const std::string& pattern) {
    json field = {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}, {"description", description}};
    if (!pattern.empty()) field["pattern"] = pattern;
    return field;
}

json Secret(const std::string& description, const std::string& pattern) {
    json field = Text(description, pattern);
    field["writeOnly"] = true;
    field["maxLength"] = 16384;  // PEM keys
    return field;
}

json FromEnv(json field, const std::string& variable) {
    field["x-env"] = variable;
    return field;
}

json Endpoint(json field) {
    field["x-endpoint"] = true;
    return field;
}

json WithDefault(json field, json value) {
    field["default"] = std::move(value);
    return field;
}

namespace {

/// Fields every type accepts: how hard Kiln may call the provider. Where the provider is, is not one of them:
/// each type's endpoint is pinned in code (an operator may override it, never a tenant).
void AddCommonFields(json& properties) {
    properties["rate_limit_per_second"] = {{"type", "number"},
                                           {"exclusiveMinimum", 0},
                                           {"maximum", 1000},
                                           {"description", "Calls per second Kiln allows itself to this provider."}};
    properties["timeout_seconds"] = {{"type", "integer"},
                                     {"minimum", 1},
                                     {"maximum", 60},
                                     {"default", 10},
                                     {"description", "Timeout of one call to the provider."}};
}

}  // namespace

TypeSpec Spec(std::string type, std::string capability, const std::string& title, json properties,
              const std::vector<std::string>& required, TypeSpec::Check check) {
    AddCommonFields(properties);
    json schema = {{"$schema", "http://json-schema.org/draft-07/schema#"},
                   {"title", title},
                   {"type", "object"},
                   {"properties", std::move(properties)},
                   {"required", required},
                   {"additionalProperties", false}};
    return {std::move(type), std::move(capability), title, std::move(schema), std::move(check)};
}

std::string StringField(const json& config, const std::string& field) {
    const auto it = config.find(field);
    return it != config.end() && it->is_string() ? it->get<std::string>() : "";
}

TypeSpec::Check KeyMatchesMode(std::string field) {
    return [field = std::move(field)](const json& config, const std::string& mode, std::vector<FieldError>& errors) {
        const std::string key = StringField(config, field);
        if (key.empty()) return;
        if (key.find("_" + mode + "_") == std::string::npos)
            errors.push_back(
                {"config." + field, "is not a " + mode + "-mode key (the integration's mode is " + mode + ")"});
    };
}

TypeSpec::Check RequiresOneOf(std::string a, std::string b) {
    return [a = std::move(a), b = std::move(b)](const json& config, const std::string& /*mode*/,
                                                std::vector<FieldError>& errors) {
        if (StringField(config, a).empty() && StringField(config, b).empty())
            errors.push_back({"config." + a, "either " + a + " or " + b + " is required"});
    };
}

}  // namespace kiln::integrations::config_schema
