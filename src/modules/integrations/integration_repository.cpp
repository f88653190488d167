#include "modules/integrations/integration_repository.hpp"

#include "modules/common/secret_fields.hpp"
#include "modules/integrations/integration_types.hpp"

namespace kiln::integrations {

namespace {

// The tenant's opt-in to platform credentials travels with every integration read, so that no
// caller can build a connection without the flag that decides what it may fall back to.
constexpr std::string_view kColumns =
    "id, type, capability, name, mode, config, status, is_default, last_tested_at, last_error, sync_state, "
    "created_at, updated_at, endpoint_override, "
    "(SELECT t.use_platform_credentials FROM tenants t WHERE t.id = integrations.tenant_id) AS "
    "use_platform_credentials";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO integrations (tenant_id, id, type, capability, name, mode, config, status, is_default,
        last_tested_at, last_error, updated_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE integrations SET type = $3, capability = $4, name = $5, mode = $6, config = $7, status = $8,
        is_default = $9, last_tested_at = $10, last_error = $11, updated_at = $12
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kRecordStatus = R"sql(
    UPDATE integrations SET status = $3, last_tested_at = $4, last_error = $5 WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kSetEndpointOverride =
    "UPDATE integrations SET endpoint_override = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSaveSyncState = "UPDATE integrations SET sync_state = $3 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kDelete = "DELETE FROM integrations WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kClearDefault = R"sql(
    UPDATE integrations SET is_default = $4 WHERE tenant_id = $1 AND capability = $2 AND id <> $3 AND is_default)sql";

std::string SelectWhere(std::string_view where) {
    return "SELECT " + std::string(kColumns) + " FROM integrations WHERE " + std::string(where);
}

std::string SealContext(const IntegrationId& id, const std::string& field) {
    return "integrations.config:" + id.str() + ":" + field;
}

}  // namespace

nlohmann::json IntegrationRepository::Sealed(const Integration& integration) const {
    const auto& spec = TypeOf(integration.type);
    return common::SealSecretFields(
        vault_, integration.config, [&spec](const std::string& field) { return spec.IsSecret(field); },
        [&integration](const std::string& field) { return SealContext(integration.id, field); });
}

Integration IntegrationRepository::From(const db::Row& row) const {
    Integration i{.id = IntegrationId(row.Get<std::string>("id")),
                  .type = row.Get<std::string>("type"),
                  .capability = row.Get<std::string>("capability"),
                  .name = row.Get<std::string>("name"),
                  .mode = row.Get<std::string>("mode"),
                  .config = row.Get<nlohmann::json>("config"),
                  .status = row.Get<std::string>("status"),
                  .is_default = row.Get<bool>("is_default"),
                  .last_tested_at = row.GetOptional<Timestamp>("last_tested_at"),
                  .last_error = row.GetOptional<std::string>("last_error"),
                  .sync_state = row.Get<nlohmann::json>("sync_state"),
                  .created_at = row.Get<Timestamp>("created_at"),
                  .updated_at = row.Get<Timestamp>("updated_at"),
                  .endpoint_override = row.GetOptional<nlohmann::json>("endpoint_override").value_or(nullptr),
                  .use_platform_credentials = row.GetOptional<bool>("use_platform_credentials").value_or(false)};
    const auto& spec = TypeOf(i.type);
    i.config = common::OpenSecretFields(
        vault_, std::move(i.config), [&spec](const std::string& field) { return spec.IsSecret(field); },
        [&i](const std::string& field) { return SealContext(i.id, field); });
    return i;
}

void IntegrationRepository::Insert(const db::TenantScope& scope, const Integration& i) const {
    scope.Exec(kInsert, {scope.tenant(), i.id, i.type, i.capability, i.name, i.mode, Sealed(i).dump(), i.status,
                         i.is_default, i.last_tested_at, i.last_error, i.updated_at, i.created_at});
}

void IntegrationRepository::Update(const db::TenantScope& scope, const Integration& i) const {
    scope.Exec(kUpdate, {scope.tenant(), i.id, i.type, i.capability, i.name, i.mode, Sealed(i).dump(), i.status,
                         i.is_default, i.last_tested_at, i.last_error, i.updated_at});
}

void IntegrationRepository::RecordStatus(const db::TenantScope& scope, const Integration& i) const {
    scope.Exec(kRecordStatus, {scope.tenant(), i.id, i.status, i.last_tested_at, i.last_error});
}

void IntegrationRepository::SetEndpointOverride(const db::TenantScope& scope, const IntegrationId& id,
                                                const nlohmann::json& endpoint_override, Timestamp updated_at) {
    std::optional<std::string> stored;
    if (!endpoint_override.is_null()) stored = endpoint_override.dump();
    scope.Exec(kSetEndpointOverride, {scope.tenant(), id, stored, updated_at});
}

void IntegrationRepository::SaveSyncState(const db::TenantScope& scope, const IntegrationId& id,
                                          const nlohmann::json& sync_state) const {
    scope.Exec(kSaveSyncState, {scope.tenant(), id, sync_state.dump()});
}

void IntegrationRepository::Delete(const db::TenantScope& scope, const IntegrationId& id) const {
    scope.Exec(kDelete, {scope.tenant(), id});
}

std::optional<Integration> IntegrationRepository::Find(const db::TenantScope& scope, const IntegrationId& id) const {
    static const std::string sql = SelectWhere("tenant_id = $1 AND id = $2");
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::vector<Integration> IntegrationRepository::List(const db::TenantScope& scope,
                                                     const std::optional<std::string>& before_id, int64_t limit) const {
    static const std::string sqlite =
        SelectWhere("tenant_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
    static const std::string postgres =
        SelectWhere("tenant_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
    std::vector<Integration> out;
    for (const auto& row : scope.Exec(scope.tx().dialect() == db::Dialect::kPostgres ? postgres : sqlite,
                                      {scope.tenant(), before_id, limit + 1}))
        out.push_back(From(row));
    return out;
}

std::optional<Integration> IntegrationRepository::FindDefault(const db::TenantScope& scope,
                                                              const std::string& capability) const {
    // The default first; without one, an active integration if it is the only one.
    static const std::string sql =
        SelectWhere("tenant_id = $1 AND capability = $2 AND status <> 'inactive' ORDER BY is_default DESC, id LIMIT 2");
    const auto rows = scope.Exec(sql, {scope.tenant(), capability});
    if (rows.empty()) return std::nullopt;
    Integration first = From(rows.front());
    if (!first.is_default && rows.size() > 1) return std::nullopt;
    return first;
}

std::optional<Integration> IntegrationRepository::FindByType(const db::TenantScope& scope,
                                                             const std::string& type) const {
    static const std::string sql =
        SelectWhere("tenant_id = $1 AND type = $2 AND status <> 'inactive' ORDER BY is_default DESC, id LIMIT 1");
    const auto rows = scope.Exec(sql, {scope.tenant(), type});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void IntegrationRepository::ClearDefault(const db::TenantScope& scope, const std::string& capability,
                                         const IntegrationId& keep) const {
    scope.Exec(kClearDefault, {scope.tenant(), capability, keep, false});
}

bool IntegrationRepository::UsesPlatformCredentials(const db::TenantScope& scope) {
    const auto rows = scope.Exec("SELECT use_platform_credentials FROM tenants WHERE id = $1", {scope.tenant()});
    return !rows.empty() && rows.front().Get<bool>("use_platform_credentials");
}

std::optional<TenantId> IntegrationRepository::TenantOf(db::Transaction& system_tx, const IntegrationId& id) {
    const auto rows = system_tx.Exec("SELECT tenant_id FROM integrations WHERE id = $1", {id});
    if (rows.empty()) return std::nullopt;
    return TenantId(rows.front().Get<std::string>("tenant_id"));
}

size_t IntegrationRepository::Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t count = 0;
    for (const auto& row : system_tx.Exec("SELECT tenant_id, id, type, config FROM integrations")) {
        const IntegrationId id(row.Get<std::string>("id"));
        const auto& spec = TypeOf(row.Get<std::string>("type"));
        auto config = row.Get<nlohmann::json>("config");
        for (auto& [field, value] : config.items()) {
            if (!spec.IsSecret(field) || !value.is_string()) continue;
            value = next.Seal(current.Open(value.get<std::string>(), SealContext(id, field)), SealContext(id, field));
            ++count;
        }
        system_tx.Exec("UPDATE integrations SET config = $3 WHERE tenant_id = $1 AND id = $2",
                       {row.Get<std::string>("tenant_id"), id, config.dump()});
    }
    return count;
}

}  // namespace kiln::integrations
