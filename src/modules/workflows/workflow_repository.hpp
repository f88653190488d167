#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/workflows/workflow_rule.hpp"

namespace kiln::workflows {

struct WorkflowRuleFilter {
    std::optional<std::string> trigger_event;
    std::optional<bool> is_enabled;
    std::optional<std::string> before_id;
    int64_t limit = 50;
};

/// A tenant's workflow rules.
class WorkflowRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const WorkflowRule& rule);
    static std::optional<WorkflowRule> Find(const db::TenantScope& scope, const WorkflowRuleId& id);
    static void Update(const db::TenantScope& scope, const WorkflowRule& rule);
    static void Delete(const db::TenantScope& scope, const WorkflowRuleId& id);
    /// Newest first, up to filter.limit + 1 rows.
    static std::vector<WorkflowRule> List(const db::TenantScope& scope, const WorkflowRuleFilter& filter);
    /// The enabled rules an event of `event_type` triggers, oldest first.
    static std::vector<WorkflowRule> EnabledFor(const db::TenantScope& scope, const std::string& event_type);
};

}  // namespace kiln::workflows
