#include "modules/workflows/workflow_repository.hpp"

#include "modules/workflows/workflow_secrets.hpp"

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

constexpr std::string_view kSelectAll = "SELECT tenant_id, id, actions FROM workflow_rules ORDER BY tenant_id, id";
constexpr std::string_view kUpdateActions = "UPDATE workflow_rules SET actions = $3 WHERE tenant_id = $1 AND id = $2";

/// What a sealed value is bound to: this rule, this action, and (appended) its place in the params.
std::string SealContext(const std::string& rule_id, size_t index) {
    return "workflow_rules.actions:" + rule_id + ":" + std::to_string(index) + ":";
}

}  // namespace

WorkflowRule WorkflowRepository::From(const db::Row& row, bool* had_plaintext) const {
    const auto id = row.Get<std::string>("id");
    std::vector<RuleAction> actions;
    const auto stored = row.Get<nlohmann::json>("actions");
    bool plaintext = false;
    for (size_t i = 0; i < stored.size(); ++i) {
        RuleAction action{stored[i].at("type"), stored[i].value("params", nlohmann::json::object())};
        if (const ActionType* type = actions_.Find(action.type)) action.secret_params = type->secret_params;
        action.params =
            OpenSecrets(std::move(action.params), action.secret_params, vault_, SealContext(id, i), plaintext);
        actions.push_back(std::move(action));
    }
    if (had_plaintext != nullptr) *had_plaintext = plaintext;
    return {.id = WorkflowRuleId(id),
            .name = row.Get<std::string>("name"),
            .description = row.Get<std::string>("description"),
            .trigger_event = row.Get<std::string>("trigger_event"),
            .conditions = StoredConditions(row.Get<nlohmann::json>("conditions")),
            .actions = std::move(actions),
            .is_enabled = row.Get<bool>("is_enabled"),
            .created_at = row.Get<Timestamp>("created_at"),
            .updated_at = row.Get<Timestamp>("updated_at")};
}

std::vector<WorkflowRule> WorkflowRepository::AllFrom(const db::Result& rows) const {
    std::vector<WorkflowRule> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(From(row));
    return out;
}

/// Every column but the creation time, which only Insert writes (as $10); the actions sealed.
db::Params WorkflowRepository::Columns(const db::TenantScope& scope, const WorkflowRule& r) const {
    nlohmann::json actions = nlohmann::json::array();
    for (size_t i = 0; i < r.actions.size(); ++i)
        actions.push_back({{"type", r.actions[i].type},
                           {"params", SealSecrets(r.actions[i].params, r.actions[i].secret_params, vault_,
                                                  SealContext(r.id.str(), i))}});
    return {scope.tenant(), r.id,         r.name,      r.description, r.trigger_event, r.ConditionsJson().dump(),
            actions.dump(), r.is_enabled, r.updated_at};
}

void WorkflowRepository::Insert(const db::TenantScope& scope, const WorkflowRule& rule) const {
    auto params = Columns(scope, rule);
    params.emplace_back(rule.created_at);
    scope.Exec(kInsert, params);
}

std::optional<WorkflowRule> WorkflowRepository::Find(const db::TenantScope& scope, const WorkflowRuleId& id) const {
    const auto rows = scope.Exec(kSelectById, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void WorkflowRepository::Update(const db::TenantScope& scope, const WorkflowRule& rule) const {
    scope.Exec(kUpdate, Columns(scope, rule));
}

void WorkflowRepository::Delete(const db::TenantScope& scope, const WorkflowRuleId& id) {
    scope.Exec(kDelete, {scope.tenant(), id});
}

std::vector<WorkflowRule> WorkflowRepository::List(const db::TenantScope& scope,
                                                   const WorkflowRuleFilter& filter) const {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    return AllFrom(
        scope.Exec(sql, {scope.tenant(), filter.trigger_event, filter.is_enabled, filter.before_id, filter.limit + 1}));
}

std::vector<WorkflowRule> WorkflowRepository::EnabledFor(const db::TenantScope& scope,
                                                         const std::string& event_type) const {
    return AllFrom(scope.Exec(kEnabledFor, {scope.tenant(), event_type}));
}

size_t WorkflowRepository::SealPlaintextSecrets(db::Database& db) const {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    size_t rewritten = 0;
    for (const auto& row : tx.Exec(R"sql(
            SELECT tenant_id, id, name, description, trigger_event, conditions, actions, is_enabled, created_at,
                   updated_at
            FROM workflow_rules ORDER BY tenant_id, id)sql")) {
        bool plaintext = false;
        const WorkflowRule rule = From(row, &plaintext);
        if (!plaintext) continue;
        const db::TenantScope scope(tx, TenantId(row.Get<std::string>("tenant_id")));
        Update(scope, rule);
        ++rewritten;
    }
    tx.Commit();
    return rewritten;
}

size_t WorkflowRepository::Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t count = 0;
    for (const auto& row : system_tx.Exec(kSelectAll)) {
        const auto id = row.Get<std::string>("id");
        auto actions = row.Get<nlohmann::json>("actions");
        for (size_t i = 0; i < actions.size(); ++i)
            actions[i]["params"] = ResealSecrets(actions[i].value("params", nlohmann::json::object()), current, next,
                                                 SealContext(id, i), count);
        system_tx.Exec(kUpdateActions, {row.Get<std::string>("tenant_id"), id, actions.dump()});
    }
    return count;
}

}  // namespace kiln::workflows
