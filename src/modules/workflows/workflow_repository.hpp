#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_rule.hpp"

namespace kiln::workflows {

struct WorkflowRuleFilter {
    std::optional<std::string> trigger_event;
    std::optional<bool> is_enabled;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's workflow rules, with the actions' secrets (workflow_secrets.hpp) sealed by the vault
/// on the way in and opened on the way out; the registry says which params of each action type
/// are secret. Both must outlive the repository.
class WorkflowRepository final {
  public:
    WorkflowRepository(const SecretVault& vault, const ActionRegistry& actions) : vault_(vault), actions_(actions) {}

    void Insert(const db::TenantScope& scope, const WorkflowRule& rule) const;
    std::optional<WorkflowRule> Find(const db::TenantScope& scope, const WorkflowRuleId& id) const;
    void Update(const db::TenantScope& scope, const WorkflowRule& rule) const;
    static void Delete(const db::TenantScope& scope, const WorkflowRuleId& id);
    /// Newest first, up to filter.limit + 1 rows.
    std::vector<WorkflowRule> List(const db::TenantScope& scope, const WorkflowRuleFilter& filter) const;
    /// The enabled rules an event of `event_type` triggers, oldest first.
    std::vector<WorkflowRule> EnabledFor(const db::TenantScope& scope, const std::string& event_type) const;

    /// Seals the secrets of rules saved before they were sealed (run once at start-up). Returns the
    /// rules rewritten.
    size_t SealPlaintextSecrets(db::Database& db) const;
    /// `kiln admin rotate-master-key`: re-seals every sealed action secret under `next`. Returns the
    /// values re-sealed.
    static size_t Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);

  private:
    WorkflowRule From(const db::Row& row, bool* had_plaintext = nullptr) const;
    std::vector<WorkflowRule> AllFrom(const db::Result& rows) const;
    db::Params Columns(const db::TenantScope& scope, const WorkflowRule& rule) const;

    const SecretVault& vault_;
    const ActionRegistry& actions_;
};

}  // namespace kiln::workflows
