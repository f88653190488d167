#include "modules/plugins/plugin.hpp"

#include <algorithm>

#include "modules/common/secret_fields.hpp"

namespace kiln::plugins {

namespace {

bool MarksSecret(const nlohmann::json& property) {
    return property.is_object() &&
           (property.value("writeOnly", false) || (property.contains("format") && property["format"] == "password"));
}

}  // namespace

std::vector<std::string> Plugin::SecretFields() const {
    std::vector<std::string> fields;
    const auto properties = config_schema.find("properties");
    if (!config_schema.is_object() || properties == config_schema.end() || !properties->is_object()) return fields;
    for (const auto& [field, property] : properties->items())
        if (MarksSecret(property)) fields.push_back(field);
    return fields;
}

bool Plugin::IsSecret(const std::string& field) const {
    const auto fields = SecretFields();
    return std::find(fields.begin(), fields.end(), field) != fields.end();
}

nlohmann::json Plugin::ToJson() const {
    return {{"id", id.str()},
            {"key", key},
            {"name", name},
            {"version", version},
            {"description", description},
            {"config_schema", config_schema},
            {"secret_fields", SecretFields()},
            {"is_enabled", is_enabled},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

nlohmann::json Plugin::Reference() const {
    return {{"key", key}, {"name", name}, {"version", version}};
}

bool PluginConfig::IsSecret(const Plugin& plugin, const std::string& field) const {
    return sealed_fields.contains(field) || plugin.IsSecret(field);
}

nlohmann::json PluginConfig::MaskedConfig(const Plugin& plugin) const {
    return common::MaskSecretFields(config, [&](const std::string& field) { return IsSecret(plugin, field); });
}

nlohmann::json PluginConfig::ToJson(const Plugin& plugin) const {
    std::vector<std::string> secrets;
    for (const auto& [field, value] : config.items())
        if (IsSecret(plugin, field) && value.is_string()) secrets.push_back(field);
    return {{"plugin", plugin.Reference()},
            {"config", MaskedConfig(plugin)},
            {"secret_fields", secrets},
            {"is_enabled", is_enabled},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

}  // namespace kiln::plugins
