#include "modules/workflows/workflow_log_repository.hpp"

namespace kiln::workflows {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO workflow_logs (tenant_id, id, rule_id, event_id, event_type, job_id, attempt, status, results, error,
                               duration_us, run_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12))sql";
constexpr std::string_view kList = R"sql(
    SELECT id, rule_id, event_id, event_type, job_id, attempt, status, results, error, duration_us, run_at
    FROM workflow_logs
    WHERE tenant_id = $1 AND rule_id = $2 AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, rule_id, event_id, event_type, job_id, attempt, status, results, error, duration_us, run_at
    FROM workflow_logs
    WHERE tenant_id = $1 AND rule_id = $2 AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";

}  // namespace

nlohmann::json WorkflowLog::ToJson() const {
    return {{"id", id},
            {"rule_id", rule_id.str()},
            {"event_id", event_id},
            {"event_type", event_type},
            {"job_id", job_id ? nlohmann::json(*job_id) : nlohmann::json(nullptr)},
            {"attempt", attempt},
            {"status", status},
            {"results", results},
            {"error", error ? nlohmann::json(*error) : nlohmann::json(nullptr)},
            {"duration_ms", static_cast<double>(duration_us) / 1000.0},
            {"run_at", FormatTimestamp(run_at)}};
}

void WorkflowLogRepository::Insert(const db::TenantScope& scope, const WorkflowLog& log) {
    scope.Exec(kInsert, {scope.tenant(), log.id, log.rule_id, log.event_id, log.event_type, log.job_id, log.attempt,
                         log.status, log.results.dump(), log.error, log.duration_us, log.run_at});
}

std::vector<WorkflowLog> WorkflowLogRepository::List(const db::TenantScope& scope, const WorkflowRuleId& rule,
                                                     const std::optional<std::string>& status,
                                                     const std::optional<std::string>& before_id, int64_t limit) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::vector<WorkflowLog> out;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), rule, status, before_id, limit + 1})) {
        out.push_back({.id = row.Get<std::string>("id"),
                       .rule_id = WorkflowRuleId(row.Get<std::string>("rule_id")),
                       .event_id = row.Get<std::string>("event_id"),
                       .event_type = row.Get<std::string>("event_type"),
                       .job_id = row.GetOptional<std::string>("job_id"),
                       .attempt = static_cast<int>(row.Get<int64_t>("attempt")),
                       .status = row.Get<std::string>("status"),
                       .results = row.Get<nlohmann::json>("results"),
                       .error = row.GetOptional<std::string>("error"),
                       .duration_us = row.Get<int64_t>("duration_us"),
                       .run_at = row.Get<Timestamp>("run_at")});
    }
    return out;
}

}  // namespace kiln::workflows
