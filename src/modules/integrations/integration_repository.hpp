#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

/// Stores integrations with every secret field sealed by the vault, bound to the integration and
/// the field, so a sealed value copied elsewhere does not open.
class IntegrationRepository final {
  public:
    explicit IntegrationRepository(const SecretVault& vault) : vault_(vault) {}

    void Insert(const db::TenantScope& scope, const Integration& integration) const;
    void Update(const db::TenantScope& scope, const Integration& integration) const;
    void Delete(const db::TenantScope& scope, const IntegrationId& id) const;
    std::optional<Integration> Find(const db::TenantScope& scope, const IntegrationId& id) const;
    /// Newest first, up to limit + 1 rows.
    std::vector<Integration> List(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                  int64_t limit) const;
    /// The tenant's default integration of a capability, else its only active one of it.
    std::optional<Integration> FindDefault(const db::TenantScope& scope, const std::string& capability) const;
    /// The integration of a type a gateway object came from: the tenant's default of its
    /// capability if it is of that type, else its oldest active one of the type.
    std::optional<Integration> FindByType(const db::TenantScope& scope, const std::string& type) const;
    /// Clears the default flag of the capability's other integrations.
    void ClearDefault(const db::TenantScope& scope, const std::string& capability, const IntegrationId& keep) const;
    /// Whether a platform administrator opted the tenant in to the platform's fallback credentials.
    static bool UsesPlatformCredentials(const db::TenantScope& scope);
    /// Which tenant an integration belongs to (for the public inbound hook), across tenants.
    static std::optional<TenantId> TenantOf(db::Transaction& system_tx, const IntegrationId& id);
    /// Records the outcome of a connectivity test or a failed call, without touching the config.
    void RecordStatus(const db::TenantScope& scope, const Integration& integration) const;
    /// Sets (or, with null, clears) where a platform administrator sends the integration. The only
    /// writer of the column: Insert and Update leave it alone, so no tenant route can set it.
    static void SetEndpointOverride(const db::TenantScope& scope, const IntegrationId& id,
                                    const nlohmann::json& endpoint_override, Timestamp updated_at);
    void SaveSyncState(const db::TenantScope& scope, const IntegrationId& id, const nlohmann::json& sync_state) const;

    /// Every sealed value of every tenant, for `kiln admin rotate-master-key`: reseals each with
    /// `next` and returns how many fields it rewrote.
    static size_t Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);

  private:
    Integration From(const db::Row& row) const;
    nlohmann::json Sealed(const Integration& integration) const;
    const SecretVault& vault_;
};

}  // namespace kiln::integrations
