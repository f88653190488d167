#include "modules/plugins/plugin_repository.hpp"

#include "modules/common/secret_fields.hpp"

namespace kiln::plugins {

namespace {

constexpr std::string_view kPluginColumns =
    "id, key, name, version, description, config_schema, is_enabled, created_at, updated_at";
constexpr std::string_view kInsertPlugin = R"sql(
    INSERT INTO plugins (id, key, name, version, description, config_schema, is_enabled, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql";
constexpr std::string_view kUpdatePlugin = R"sql(
    UPDATE plugins SET name = $2, version = $3, description = $4, config_schema = $5, is_enabled = $6, updated_at = $7
    WHERE key = $1)sql";
constexpr std::string_view kDeletePlugin = "DELETE FROM plugins WHERE key = $1";

constexpr std::string_view kConfigColumns =
    "id, plugin_key, config, sealed_secrets, is_enabled, created_at, updated_at";
constexpr std::string_view kInsertConfig = R"sql(
    INSERT INTO plugin_configs (tenant_id, id, plugin_key, config, sealed_secrets, is_enabled, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";
constexpr std::string_view kUpdateConfig = R"sql(
    UPDATE plugin_configs SET config = $3, sealed_secrets = $4, is_enabled = $5, updated_at = $6
    WHERE tenant_id = $1 AND plugin_key = $2)sql";

std::string SelectPlugins(std::string_view rest) {
    return "SELECT " + std::string(kPluginColumns) + " FROM plugins " + std::string(rest);
}

std::string SelectConfigs(std::string_view rest) {
    return "SELECT " + std::string(kConfigColumns) + " FROM plugin_configs " + std::string(rest);
}

std::string PluginSealContext(const std::string& tenant, const std::string& plugin_key, const std::string& field) {
    return "plugin_configs.sealed_secrets:" + tenant + ":" + plugin_key + ":" + field;
}

Plugin PluginFrom(const db::Row& row) {
    return {.id = PluginId(row.Get<std::string>("id")),
            .key = row.Get<std::string>("key"),
            .name = row.Get<std::string>("name"),
            .version = row.Get<std::string>("version"),
            .description = row.Get<std::string>("description"),
            .config_schema = row.Get<nlohmann::json>("config_schema"),
            .is_enabled = row.Get<bool>("is_enabled"),
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at")};
}

const common::IsSecretField kEveryField = [](const std::string& /*field*/) { return true; };

}  // namespace

void PluginRepository::Insert(db::Transaction& tx, const Plugin& p) {
    try {
        tx.Exec(kInsertPlugin, {p.id, p.key, p.name, p.version, p.description, p.config_schema.dump(), p.is_enabled,
                                p.created_at, p.updated_at});
    } catch (const db::UniqueViolation&) {
        throw Conflict("A plugin with this key is already installed.");
    }
}

void PluginRepository::Update(db::Transaction& tx, const Plugin& p) {
    tx.Exec(kUpdatePlugin,
            {p.key, p.name, p.version, p.description, p.config_schema.dump(), p.is_enabled, p.updated_at});
}

void PluginRepository::Delete(db::Transaction& tx, const std::string& key) {
    tx.Exec(kDeletePlugin, {key});
}

std::optional<Plugin> PluginRepository::Find(db::Transaction& tx, const std::string& key) {
    static const std::string sql = SelectPlugins("WHERE key = $1");
    const auto rows = tx.Exec(sql, {key});
    if (rows.empty()) return std::nullopt;
    return PluginFrom(rows.front());
}

std::vector<Plugin> PluginRepository::List(db::Transaction& tx, bool include_disabled) {
    static const std::string all = SelectPlugins("ORDER BY key");
    static const std::string enabled = SelectPlugins("WHERE is_enabled = $1 ORDER BY key");
    std::vector<Plugin> out;
    for (const auto& row : include_disabled ? tx.Exec(all) : tx.Exec(enabled, {true})) out.push_back(PluginFrom(row));
    return out;
}

PluginConfig PluginConfigRepository::From(const db::TenantScope& scope, const db::Row& row) const {
    PluginConfig c{.id = PluginConfigId(row.Get<std::string>("id")),
                   .plugin_key = row.Get<std::string>("plugin_key"),
                   .config = row.Get<nlohmann::json>("config"),
                   .is_enabled = row.Get<bool>("is_enabled"),
                   .created_at = row.Get<Timestamp>("created_at"),
                   .updated_at = row.Get<Timestamp>("updated_at")};
    const auto opened = common::OpenSecretFields(
        vault_, row.Get<nlohmann::json>("sealed_secrets"), kEveryField,
        [&](const std::string& field) { return PluginSealContext(scope.tenant().str(), c.plugin_key, field); });
    for (const auto& [field, value] : opened.items()) {
        c.config[field] = value;
        c.sealed_fields.insert(field);
    }
    return c;
}

std::pair<std::string, std::string> PluginConfigRepository::Stored(const db::TenantScope& scope,
                                                                   const PluginConfig& c) const {
    nlohmann::json clear = nlohmann::json::object();
    nlohmann::json secrets = nlohmann::json::object();
    for (const auto& [field, value] : c.config.items())
        (c.sealed_fields.contains(field) && value.is_string() ? secrets : clear)[field] = value;
    secrets = common::SealSecretFields(vault_, std::move(secrets), kEveryField, [&](const std::string& field) {
        return PluginSealContext(scope.tenant().str(), c.plugin_key, field);
    });
    return {clear.dump(), secrets.dump()};
}

std::optional<PluginConfig> PluginConfigRepository::Find(const db::TenantScope& scope,
                                                         const std::string& plugin_key) const {
    static const std::string sql = SelectConfigs("WHERE tenant_id = $1 AND plugin_key = $2");
    const auto rows = scope.Exec(sql, {scope.tenant(), plugin_key});
    if (rows.empty()) return std::nullopt;
    return From(scope, rows.front());
}

std::vector<PluginConfig> PluginConfigRepository::List(const db::TenantScope& scope) const {
    static const std::string sql = SelectConfigs("WHERE tenant_id = $1 ORDER BY plugin_key");
    std::vector<PluginConfig> out;
    for (const auto& row : scope.Exec(sql, {scope.tenant()})) out.push_back(From(scope, row));
    return out;
}

void PluginConfigRepository::Insert(const db::TenantScope& scope, const PluginConfig& c) const {
    auto [clear, secrets] = Stored(scope, c);
    scope.Exec(kInsertConfig, {scope.tenant(), c.id, c.plugin_key, std::move(clear), std::move(secrets), c.is_enabled,
                               c.created_at, c.updated_at});
}

void PluginConfigRepository::Update(const db::TenantScope& scope, const PluginConfig& c) const {
    auto [clear, secrets] = Stored(scope, c);
    scope.Exec(kUpdateConfig,
               {scope.tenant(), c.plugin_key, std::move(clear), std::move(secrets), c.is_enabled, c.updated_at});
}

size_t PluginConfigRepository::Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t count = 0;
    for (const auto& row : system_tx.Exec("SELECT tenant_id, plugin_key, sealed_secrets FROM plugin_configs")) {
        const auto tenant = row.Get<std::string>("tenant_id");
        const auto plugin_key = row.Get<std::string>("plugin_key");
        auto secrets = row.Get<nlohmann::json>("sealed_secrets");
        for (auto& [field, value] : secrets.items()) {
            const std::string context = PluginSealContext(tenant, plugin_key, field);
            value = next.Seal(current.Open(value.get<std::string>(), context), context);
            ++count;
        }
        system_tx.Exec("UPDATE plugin_configs SET sealed_secrets = $3 WHERE tenant_id = $1 AND plugin_key = $2",
                       {tenant, plugin_key, secrets.dump()});
    }
    return count;
}

}  // namespace kiln::plugins
