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
/// quote the event, see templates.hpp).
struct RuleAction {
    std::string type;
    nlohmann::json params = nlohmann::json::object();
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
    nlohmann::json ActionsJson() const;
    nlohmann::json ToJson() const;
};

/// Conditions and actions as stored: trusted, already checked when the rule was saved.
std::vector<Condition> StoredConditions(const nlohmann::json& stored);
std::vector<RuleAction> StoredActions(const nlohmann::json& stored);

}  // namespace kiln::workflows
