#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "modules/webhooks/subscription.hpp"

namespace kiln::webhooks {

/// What the fan-out needs of a subscription, without opening its secrets.
struct SubscriptionRoute {
    SubscriptionId id;
    std::vector<std::string> events;
    bool is_active = true;
};

/// Subscriptions, with their secrets sealed by the vault on the way in and opened on the way out.
class SubscriptionRepository final {
  public:
    explicit SubscriptionRepository(const SecretVault& vault) : vault_(vault) {}

    void Insert(const db::TenantScope& scope, const Subscription& s) const;
    std::optional<Subscription> Find(const db::TenantScope& scope, const SubscriptionId& id) const;
    /// Writes every column, secrets included.
    void Update(const db::TenantScope& scope, const Subscription& s) const;
    void Delete(const db::TenantScope& scope, const SubscriptionId& id) const;
    /// Newest first, up to limit + 1 rows.
    std::vector<Subscription> List(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                   int64_t limit) const;
    static std::vector<SubscriptionRoute> Routes(const db::TenantScope& scope);
    /// Every tenant's signing secrets resealed from `current` to `next` (`kiln admin
    /// rotate-master-key`); returns how many values it rewrote.
    static size_t Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);

  private:
    Subscription From(const db::Row& row) const;
    db::Params Columns(const db::TenantScope& scope, const Subscription& s) const;
    std::string Seal(const std::string& secret, const SubscriptionId& id) const;
    std::string Open(const std::string& sealed, const SubscriptionId& id) const;

    const SecretVault& vault_;
};

}  // namespace kiln::webhooks
