#include "modules/workflows/workflow_repository.hpp"

namespace kiln::workflows {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO workflow_rules (tenant_id, id, name, description, trigger_event, conditions, actions, is_enabled,
                                created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9))sql";
constexpr std::string_view kSelectById = R"sql(
    SELECT id, name, description, trigger_event, conditions, actions, is_enabled, created_at, updated_at
    FROM workflow_rules WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE workflow_rules SET name = $3, description = $4, trigger_event = $5, conditions = $6, actions = $7,
                              is_enabled = $8, updated_at = $9
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kDelete = "DELETE FROM workflow_rules WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kList = R"sql(
    SELECT id, name, description, trigger_event, conditions, actions, is_enabled, created_at, updated_at
    FROM workflow_rules
    WHERE tenant_id = $1 AND ($2 IS NULL OR trigger_event = $2) AND ($3 IS NULL OR is_enabled = $3)
      AND ($4 IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, name, description, trigger_event, conditions, actions, is_enabled, created_at, updated_at
    FROM workflow_rules
    WHERE tenant_id = $1 AND ($2::text IS NULL OR trigger_event = $2) AND ($3::boolean IS NULL OR is_enabled = $3)
      AND ($4::uuid IS NULL OR id < $4)
    ORDER BY id DESC LIMIT $5)sql";
constexpr std::string_view kEnabledFor = R"sql(
    SELECT id, name, description, trigger_event, conditions, actions, is_enabled, created_at, updated_at
    FROM workflow_rules WHERE tenant_id = $1 AND trigger_event = $2 AND is_enabled
    ORDER BY id)sql";

WorkflowRule From(const db::Row& row) {
    return {.id = WorkflowRuleId(row.Get<std::string>("id")),
            .name = row.Get<std::string>("name"),
            .description = row.Get<std::string>("description"),
            .trigger_event = row.Get<std::string>("trigger_event"),
            .conditions = StoredConditions(row.Get<nlohmann::json>("conditions")),
            .actions = StoredActions(row.Get<nlohmann::json>("actions")),
            .is_enabled = row.Get<bool>("is_enabled"),
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at")};
}

std::vector<WorkflowRule> AllFrom(const db::Result& rows) {
    std::vector<WorkflowRule> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(From(row));
    return out;
}

/// Every column but the creation time, which only Insert writes (as $10).
db::Params Columns(const db::TenantScope& scope, const WorkflowRule& r) {
    return {
        scope.tenant(),         r.id,         r.name,      r.description, r.trigger_event, r.ConditionsJson().dump(),
        r.ActionsJson().dump(), r.is_enabled, r.updated_at};
}

}  // namespace

void WorkflowRepository::Insert(const db::TenantScope& scope, const WorkflowRule& rule) {
    auto params = Columns(scope, rule);
    params.emplace_back(rule.created_at);
    scope.Exec(kInsert, params);
}

std::optional<WorkflowRule> WorkflowRepository::Find(const db::TenantScope& scope, const WorkflowRuleId& id) {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void WorkflowRepository::Update(const db::TenantScope& scope, const WorkflowRule& rule) {
    scope.Exec(kUpdate, Columns(scope, rule));
}

void WorkflowRepository::Delete(const db::TenantScope& scope, const WorkflowRuleId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});
}

std::vector<WorkflowRule> WorkflowRepository::List(const db::TenantScope& scope, const WorkflowRuleFilter& filter) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    return AllFrom(
        scope.Exec(sql, {scope.tenant(), filter.trigger_event, filter.is_enabled, filter.before_id, filter.limit + 1}));
}

std::vector<WorkflowRule> WorkflowRepository::EnabledFor(const db::TenantScope& scope, const std::string& event_type) {
    return AllFrom(scope.Exec(kEnabledFor, {scope.tenant(), event_type}));
}

}  // namespace kiln::workflows
