#include "modules/plugins/plugin_service.hpp"

#include <algorithm>
#include <regex>

#include "core/uuid.hpp"
#include "modules/common/json_schema.hpp"
#include "modules/common/secret_fields.hpp"

namespace kiln::plugins {

namespace {

using nlohmann::json;

/// A plugin's configuration is a form of settings, not a document: 64 KiB of schema is far more than any needs.
constexpr size_t kMaxSchemaBytes = size_t{64} * 1024;
constexpr const char* kInvalidPluginConfig = "The plugin's configuration is invalid.";

/// Keys the routes use as path segments: /plugins/available and /plugins/tenant/… would hide such a plugin.
bool IsReservedKey(const std::string& key) {
    return key == "available" || key == "tenant";
}

/// Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH with an optional pre-release and build.
bool IsSemver(const std::string& version) {
    static const std::regex kSemver(
        R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$)");
    return version.size() <= 64 && std::regex_match(version, kSemver);
}

bool IsValueKeyword(const std::string& key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

/// Secrets are sealed field by field, so only top-level string properties can be secret: a `writeOnly` or
/// `format: password` anywhere else would be stored in clear, and is refused instead.
void CheckSecretPlacement(const json& node, const std::string& path, bool top_level_property,
                          std::vector<FieldError>& errors) {
    if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i)
            CheckSecretPlacement(node[i], common::ChildField(path, std::to_string(i)), false, errors);
        return;
    }
    if (!node.is_object()) return;
    const bool secret = node.value("writeOnly", false) || (node.contains("format") && node["format"] == "password");
    if (secret && !top_level_property)
        errors.push_back({path, "marks a secret below the top level: only top-level string properties can be secret"});
    if (secret && top_level_property && node.value("type", json()) != "string")
        errors.push_back({path + ".type", "must be \"string\" for a secret field"});
    for (const auto& [key, value] : node.items()) {
        if (IsValueKeyword(key)) continue;
        CheckSecretPlacement(value, common::ChildField(path, key), false, errors);
    }
}

/// What a config_schema must be: a valid draft-07 schema (JsonSchema::Compile), of an object, of bounded size, with
/// its secrets where they can be sealed.
void CheckConfigSchema(const json& schema) {
    if (schema.dump().size() > kMaxSchemaBytes)
        throw ValidationError("config_schema", "is larger than " + std::to_string(kMaxSchemaBytes) + " bytes");
    if (!schema.is_object()) throw ValidationError("config_schema", "must be a JSON Schema object");
    if (schema.contains("type") && schema["type"] != "object")
        throw ValidationError("config_schema.type", "must be \"object\": a configuration is an object");
    (void)common::JsonSchema::Compile(schema, "config_schema");
    std::vector<FieldError> errors;
    for (const auto& [key, value] : schema.items()) {
        if (IsValueKeyword(key)) continue;
        if (key == "properties" && value.is_object()) {
            for (const auto& [name, property] : value.items())
                CheckSecretPlacement(property, common::ChildField("config_schema.properties", name), true, errors);
        } else {
            CheckSecretPlacement(value, common::ChildField("config_schema", key), false, errors);
        }
    }
    if (!errors.empty()) throw ValidationError(std::move(errors), "The plugin's config_schema is not acceptable.");
}

void CheckFields(const std::optional<std::string>& key, const std::optional<std::string>& version) {
    std::vector<FieldError> errors;
    if (key && IsReservedKey(*key)) errors.push_back({"key", "is reserved by the plugin routes"});
    if (version && !IsSemver(*version))
        errors.push_back({"version", "must be a semantic version such as 1.4.0 or 2.0.0-beta.1"});
    if (!errors.empty()) throw ValidationError(std::move(errors));
}

/// The configuration with the schema's defaults filled in, checked against the schema.
void Validate(const Plugin& plugin, json& config) {
    common::ApplyDefaults(plugin.config_schema, config);
    auto errors = common::JsonSchema::Compile(plugin.config_schema, "config_schema").Check(config, "config");
    if (!errors.empty()) throw ValidationError(std::move(errors), kInvalidPluginConfig);
}

}  // namespace

Plugin PluginService::Install(db::Transaction& tx, NewPlugin p) const {
    CheckFields(p.key, p.version);
    CheckConfigSchema(p.config_schema);
    const Timestamp now = Now();
    Plugin plugin{.id = PluginId(NewUuidV7()),
                  .key = std::move(p.key),
                  .name = std::move(p.name),
                  .version = std::move(p.version),
                  .description = std::move(p.description),
                  .config_schema = std::move(p.config_schema),
                  .is_enabled = p.is_enabled,
                  .created_at = now,
                  .updated_at = now};
    PluginRepository::Insert(tx, plugin);
    return plugin;
}

PluginChange PluginService::Update(db::Transaction& tx, const std::string& key, const PluginEdit& edit) const {
    PluginChange result{Find(tx, key, true)};
    Plugin& plugin = result.plugin;
    CheckFields(std::nullopt, edit.version);
    if (edit.config_schema) CheckConfigSchema(*edit.config_schema);
    const auto set = [&](const char* field, const std::optional<std::string>& next, std::string& current) {
        if (!next || *next == current) return;
        result.changes[field] = {{"from", current}, {"to", *next}};
        current = *next;
    };
    set("name", edit.name, plugin.name);
    set("version", edit.version, plugin.version);
    set("description", edit.description, plugin.description);
    if (edit.is_enabled && *edit.is_enabled != plugin.is_enabled) {
        result.changes["is_enabled"] = {{"from", plugin.is_enabled}, {"to", *edit.is_enabled}};
        plugin.is_enabled = *edit.is_enabled;
    }
    // Tenants' stored configurations are not checked against a new schema: they are checked when next saved, and a
    // field stored sealed stays secret (PluginConfig::sealed_fields).
    if (edit.config_schema && *edit.config_schema != plugin.config_schema) {
        result.changes["config_schema"] = {{"changed", true}};
        plugin.config_schema = *edit.config_schema;
    }
    if (!result.changes.empty()) {
        plugin.updated_at = Now();
        PluginRepository::Update(tx, plugin);
    }
    return result;
}

Plugin PluginService::Remove(db::Transaction& tx, const std::string& key) const {
    Plugin plugin = Find(tx, key, true);
    PluginRepository::Delete(tx, key);
    return plugin;
}

Plugin PluginService::Find(db::Transaction& tx, const std::string& key, bool include_disabled) const {
    auto plugin = PluginRepository::Find(tx, key);
    if (!plugin || (!plugin->is_enabled && !include_disabled)) throw NotFound("No plugin with this key.");
    return *plugin;
}

std::vector<Plugin> PluginService::Available(db::Transaction& tx, bool include_disabled) const {
    return PluginRepository::List(tx, include_disabled);
}

std::vector<TenantPlugin> PluginService::ForTenant(const db::TenantScope& scope) const {
    auto configs = configs_.List(scope);
    std::vector<TenantPlugin> out;
    for (auto& plugin : PluginRepository::List(scope.tx(), false)) {
        TenantPlugin entry{std::move(plugin), std::nullopt};
        const auto it = std::find_if(configs.begin(), configs.end(),
                                     [&](const PluginConfig& c) { return c.plugin_key == entry.plugin.key; });
        if (it != configs.end()) entry.config = std::move(*it);
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<TenantPlugin> PluginService::EnabledForTenant(const db::TenantScope& scope) const {
    std::vector<TenantPlugin> out;
    for (auto& entry : ForTenant(scope))
        if (entry.config && entry.config->is_enabled) out.push_back(std::move(entry));
    return out;
}

TenantPlugin PluginService::ConfigOf(const db::TenantScope& scope, const std::string& key) const {
    Plugin plugin = Find(scope.tx(), key, false);
    auto config = configs_.Find(scope, key);
    if (!config) throw NotFound("This tenant has not configured the plugin.");
    return {std::move(plugin), std::move(config)};
}

ConfigChange PluginService::Configure(const db::TenantScope& scope, const std::string& key, const json& update,
                                      std::optional<bool> enable) const {
    Plugin plugin = Find(scope.tx(), key, false);
    const auto existing = configs_.Find(scope, key);
    const Timestamp now = Now();
    PluginConfig config = existing.value_or(PluginConfig{.id = PluginConfigId(NewUuidV7()),
                                                         .plugin_key = plugin.key,
                                                         .is_enabled = false,
                                                         .created_at = now,
                                                         .updated_at = now});
    const common::IsSecretField is_secret = [&](const std::string& field) { return config.IsSecret(plugin, field); };
    if (!existing) common::RefuseMaskedSecrets(is_secret, update, kInvalidPluginConfig);
    ConfigChange result{plugin, config};
    json merged = common::MergeConfig(is_secret, config.config, update, result.changed_fields, kInvalidPluginConfig);
    const json before_defaults = merged;
    Validate(plugin, merged);
    for (const auto& [field, value] : merged.items())
        if (!before_defaults.contains(field)) result.changed_fields.push_back(field);
    // Secret: what the schema marks now, and what was stored sealed and is kept as it was.
    std::set<std::string> sealed;
    for (const auto& [field, value] : merged.items()) {
        const auto old = config.config.find(field);
        const bool kept = config.sealed_fields.contains(field) && old != config.config.end() && *old == value;
        if (value.is_string() && (plugin.IsSecret(field) || kept)) sealed.insert(field);
    }
    const bool enabled = enable.value_or(existing ? config.is_enabled : true);
    if (existing ? enabled != config.is_enabled : enabled) result.enabled_now = enabled;
    result.config.config = std::move(merged);
    result.config.sealed_fields = std::move(sealed);
    result.config.is_enabled = enabled;
    if (!existing) {
        configs_.Insert(scope, result.config);
    } else if (result.Changed()) {
        result.config.updated_at = now;
        configs_.Update(scope, result.config);
    }
    return result;
}

ConfigChange PluginService::Toggle(const db::TenantScope& scope, const std::string& key, bool enabled) const {
    Plugin plugin = Find(scope.tx(), key, false);
    const auto existing = configs_.Find(scope, key);
    if (!existing) {
        if (enabled) return Configure(scope, key, json::object(), true);
        const Timestamp now = Now();
        return {.plugin = plugin,
                .config = {.plugin_key = plugin.key, .is_enabled = false, .created_at = now, .updated_at = now},
                .stored = false};
    }
    ConfigChange result{plugin, *existing};
    if (existing->is_enabled == enabled) return result;
    result.enabled_now = enabled;
    result.config.is_enabled = enabled;
    result.config.updated_at = Now();
    configs_.Update(scope, result.config);
    return result;
}

}  // namespace kiln::plugins
