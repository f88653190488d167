#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "db/database.hpp"
#include "http/schema.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/workflows/workflow_rule.hpp"

namespace kiln::workflows {

/// What an action is given when its rule runs. It runs outside any transaction (an HTTP call must
/// not hold the database's write lock); an action that writes opens its own short transaction.
/// Runs are retried after a failure, so an action must be idempotent or tolerate repeats: the
/// idempotency key names this action of this rule for this event.
struct ActionRun {
    const TenantId& tenant;
    db::Database& db;
    const WorkflowRule& rule;
    const events::StoredEvent& event;
    size_t index;                  // position in the rule's actions
    const nlohmann::json& params;  // with the event's values quoted in (templates.hpp)
    std::string idempotency_key;   // "workflow:<rule>:<event>:<index>"
};

/// A kind of step rules can use. The integrations and plugins issues add their own (send_email,
/// send_sms, plugin actions) by registering more.
struct ActionType {
    std::string name;
    std::string description;
    http::Schema params;
    /// Save-time checks the schema cannot express (a URL's target, a role's existence); appends
    /// field errors under `where`. Optional.
    std::function<void(const db::TenantScope& scope, const nlohmann::json& params, const std::string& where,
                       std::vector<FieldError>& errors)>
        check;
    /// Does the work and describes the result; throws to fail the run.
    std::function<nlohmann::json(const ActionRun& run)> run;
    /// Params whose string values (at any depth) are secrets (workflow_secrets.hpp): sealed at
    /// rest and masked wherever a rule is shown. Values under a secret-looking name
    /// (IsSecretName) are secrets whether listed here or not.
    std::vector<std::string> secret_params = {};
    /// Params that are URL templates: the event's values quoted into them are percent-encoded.
    std::vector<std::string> url_params = {};
};

class ActionRegistry final {
  public:
    /// Filled while the process starts, read-only afterwards. Throws std::logic_error on a name
    /// registered twice.
    void Register(ActionType type);
    const ActionType* Find(const std::string& name) const;
    const std::vector<ActionType>& types() const { return types_; }
    std::vector<std::string> names() const;

    /// Parses a rule's `actions` (already shaped by the body schema: [{type, params}]), checking
    /// each action's params against its type and noting its secret params. Problems are appended
    /// under `actions[i]…`.
    std::vector<RuleAction> ParseActions(const db::TenantScope& scope, const nlohmann::json& actions,
                                         std::vector<FieldError>& errors) const;

  private:
    std::vector<ActionType> types_;
};

}  // namespace kiln::workflows
