#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace kiln::plugins {

using PluginId = TypedId<struct PluginIdTag>;
using PluginConfigId = TypedId<struct PluginConfigIdTag>;

/// A plugin of the platform's registry (global: no tenant owns it). Platform administrators publish it; every
/// tenant sees it while `is_enabled` and configures it against `config_schema` (JSON Schema draft-07).
struct Plugin {
    PluginId id;
    std::string key;  // names it in every route; never changes
    std::string name;
    std::string version;
    std::string description;
    nlohmann::json config_schema = nlohmann::json::object();
    bool is_enabled = true;  // off: hidden from tenants, their configurations kept
    Timestamp created_at;
    Timestamp updated_at;

    /// The top-level properties of config_schema marked secret (`writeOnly: true` or `format: "password"`).
    std::vector<std::string> SecretFields() const;
    bool IsSecret(const std::string& field) const;
    nlohmann::json ToJson() const;
    /// What events and lists of configurations name the plugin by.
    nlohmann::json Reference() const;
};

/// One tenant's configuration of one plugin. `config` holds every field, secrets opened: it lives decrypted only in
/// memory, and ToJson masks every secret.
struct PluginConfig {
    PluginConfigId id;
    std::string plugin_key;
    nlohmann::json config = nlohmann::json::object();
    /// The fields stored sealed. A field stays secret while its stored value is the one sealed, even if the plugin's
    /// schema no longer marks it: a schema change never shows a stored secret.
    std::set<std::string> sealed_fields;
    bool is_enabled = false;
    Timestamp created_at;
    Timestamp updated_at;

    bool IsSecret(const Plugin& plugin, const std::string& field) const;
    /// The configuration as every answer, audit entry and event shows it: secrets masked ("…" plus at most four
    /// characters of a long one).
    nlohmann::json MaskedConfig(const Plugin& plugin) const;
    nlohmann::json ToJson(const Plugin& plugin) const;
};

}  // namespace kiln::plugins
