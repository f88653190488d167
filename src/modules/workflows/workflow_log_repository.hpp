#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "db/database.hpp"
#include "modules/workflows/workflow_rule.hpp"

namespace kiln::workflows {

/// One attempt to run a rule for an event.
struct WorkflowLog {
    std::string id;
    WorkflowRuleId rule_id;
    std::string event_id;
    std::string event_type;
    std::optional<std::string> job_id;
    int attempt = 1;
    std::string status;                                // succeeded, failed, skipped
    nlohmann::json results = nlohmann::json::array();  // per action: index, type, status, result or error, duration
    std::optional<std::string> error;
    int64_t duration_us = 0;
    Timestamp run_at;

    nlohmann::json ToJson() const;
};

/// `workflow_logs`: append-only; range-partitioned by month on run_at on PostgreSQL.
class WorkflowLogRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const WorkflowLog& log);
    /// A rule's runs, newest first, up to limit + 1 rows, optionally with one status.
    static std::vector<WorkflowLog> List(const db::TenantScope& scope, const WorkflowRuleId& rule,
                                         const std::optional<std::string>& status,
                                         const std::optional<std::string>& before_id, int64_t limit);
};

}  // namespace kiln::workflows
