#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "modules/plugins/plugin.hpp"
#include "modules/plugins/plugin_repository.hpp"

namespace kiln::plugins {

/// What a platform administrator publishes.
struct NewPlugin {
    std::string key;
    std::string name;
    std::string version;
    std::string description;
    nlohmann::json config_schema = nlohmann::json::object();
    bool is_enabled = true;
};

/// A partial update of a published plugin: what is set changes. The key never does.
struct PluginEdit {
    std::optional<std::string> name, version, description;
    std::optional<nlohmann::json> config_schema;
    std::optional<bool> is_enabled;
};

/// A plugin after an update, with what changed ({"name": {"from", "to"}, …; a new schema is {"changed": true}}).
struct PluginChange {
    Plugin plugin;
    nlohmann::json changes = nlohmann::json::object();
};

/// A plugin as one tenant sees it: with its configuration, if the tenant made one.
struct TenantPlugin {
    Plugin plugin;
    std::optional<PluginConfig> config;
};

/// A tenant's configuration after a configure or a toggle.
struct ConfigChange {
    Plugin plugin;
    PluginConfig config;
    bool stored = true;                       // false only for disabling a plugin never configured: nothing to save
    std::vector<std::string> changed_fields;  // names only: values may be secrets
    std::optional<bool> enabled_now;          // set when is_enabled changed (plugin.enabled / plugin.disabled)
    bool Changed() const { return !changed_fields.empty() || enabled_now.has_value(); }
};

/// The rules of the marketplace: what a plugin and its schema must be, which plugins a tenant sees, how a tenant's
/// configuration is merged, defaulted, validated and kept secret. Routes map JSON to these calls; this class knows
/// nothing of HTTP. Every call runs in the caller's transaction.
class PluginService final {
  public:
    explicit PluginService(const SecretVault& vault) : configs_(vault) {}

    /// ValidationError when a field or the schema is not acceptable; Conflict when the key is taken.
    Plugin Install(db::Transaction& tx, NewPlugin plugin) const;
    PluginChange Update(db::Transaction& tx, const std::string& key, const PluginEdit& edit) const;
    /// Removes the plugin and every tenant's configuration of it; returns what it was.
    Plugin Remove(db::Transaction& tx, const std::string& key) const;
    /// NotFound for an unknown key, and for a disabled plugin unless `include_disabled` (platform administrators).
    Plugin Find(db::Transaction& tx, const std::string& key, bool include_disabled) const;
    std::vector<Plugin> Available(db::Transaction& tx, bool include_disabled) const;

    /// Every enabled plugin, with this tenant's configuration where it has one.
    std::vector<TenantPlugin> ForTenant(const db::TenantScope& scope) const;
    /// The enabled plugins this tenant enabled.
    std::vector<TenantPlugin> EnabledForTenant(const db::TenantScope& scope) const;
    /// NotFound when the plugin is unknown or disabled, or the tenant has not configured it.
    TenantPlugin ConfigOf(const db::TenantScope& scope, const std::string& key) const;
    /// Merges `update` into the stored configuration (fields named replace, null removes, a masked secret sent back
    /// keeps the stored one), fills the schema's defaults and validates the result: ValidationError with a field
    /// error "config.<path>" for each problem. A first configuration is enabled unless `enable` says otherwise.
    ConfigChange Configure(const db::TenantScope& scope, const std::string& key, const nlohmann::json& update,
                           std::optional<bool> enable) const;
    /// Enables or disables the plugin for the tenant; the same state again changes nothing. Enabling a plugin never
    /// configured configures it with the schema's defaults (ValidationError naming what has no default).
    ConfigChange Toggle(const db::TenantScope& scope, const std::string& key, bool enabled) const;

  private:
    PluginConfigRepository configs_;
};

}  // namespace kiln::plugins
