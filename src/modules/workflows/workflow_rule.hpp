#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "modules/workflows/conditions.hpp"

namespace kiln::workflows {

using WorkflowRuleId = TypedId<struct WorkflowRuleIdTag>;

/// One step of a rule: an action type from the ActionRegistry and its parameters (which may
/// quote the event, see templates.hpp). In memory the params hold secrets in clear; they are
/// sealed only in the database and masked in every JSON form a caller sees.
struct RuleAction {
    std::string type;
    nlohmann::json params = nlohmann::json::object();
    std::vector<std::string> secret_params = {};  // the type's (ActionType::secret_params)

    /// The params with every secret masked (workflow_secrets.hpp).
    nlohmann::json MaskedParams() const;
    bool operator==(const RuleAction& other) const { return type == other.type && params == other.params; }
};

/// A tenant's rule: when an event of `trigger_event` arrives and every condition holds on its
/// data, run the actions in order.
struct WorkflowRule {
    WorkflowRuleId id;
    std::string name;
    std::string description;
    std::string trigger_event;
    std::vector<Condition> conditions;
    std::vector<RuleAction> actions;
    bool is_enabled = true;
    Timestamp created_at;
    Timestamp updated_at;

    nlohmann::json ConditionsJson() const;
    /// Secrets masked: what responses, events and audit entries show.
    nlohmann::json ActionsJson() const;
    nlohmann::json ToJson() const;
};

/// Conditions as stored: trusted, already checked when the rule was saved.
std::vector<Condition> StoredConditions(const nlohmann::json& stored);

}  // namespace kiln::workflows
