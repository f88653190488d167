#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "modules/plugins/plugin.hpp"

namespace kiln::plugins {

/// The global registry (`plugins`): no tenant owns a row, so it takes any transaction.
class PluginRepository final {
  public:
    /// A key already taken → Conflict.
    static void Insert(db::Transaction& tx, const Plugin& plugin);
    static void Update(db::Transaction& tx, const Plugin& plugin);
    /// Deletes every tenant's configuration of it too (a foreign key action, past row-level security).
    static void Delete(db::Transaction& tx, const std::string& key);
    static std::optional<Plugin> Find(db::Transaction& tx, const std::string& key);
    /// By key; only the enabled ones unless `include_disabled`.
    static std::vector<Plugin> List(db::Transaction& tx, bool include_disabled);
};

/// Tenants' configurations (`plugin_configs`). Secret fields are kept out of `config`, in `sealed_secrets`, each
/// sealed by the vault bound to the tenant, the plugin and the field, so a sealed value copied elsewhere does not
/// open.
class PluginConfigRepository final {
  public:
    explicit PluginConfigRepository(const SecretVault& vault) : vault_(vault) {}

    std::optional<PluginConfig> Find(const db::TenantScope& scope, const std::string& plugin_key) const;
    /// The tenant's configurations, by plugin key.
    std::vector<PluginConfig> List(const db::TenantScope& scope) const;
    /// Stores the fields named in `config.sealed_fields` sealed, the others in clear.
    void Insert(const db::TenantScope& scope, const PluginConfig& config) const;
    void Update(const db::TenantScope& scope, const PluginConfig& config) const;

    /// Every sealed value of every tenant, for `kiln admin rotate-master-key`: reseals each with `next` and returns
    /// how many fields it rewrote.
    static size_t Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);

  private:
    PluginConfig From(const db::TenantScope& scope, const db::Row& row) const;
    /// {config in clear, sealed secrets}, as text for the two columns.
    std::pair<std::string, std::string> Stored(const db::TenantScope& scope, const PluginConfig& config) const;
    const SecretVault& vault_;
};

}  // namespace kiln::plugins
