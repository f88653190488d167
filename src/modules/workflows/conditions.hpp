#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "modules/workflows/json_path.hpp"

namespace kiln::workflows {

/// One predicate on an event's data: `{"field": "invoice.total", "op": "gt", "value": 10000}`.
/// A rule's conditions must all hold. A field the event does not carry makes every operator false
/// except `not_exists`, so a rule never fires on data it did not expect.
struct Condition {
    JsonPath field;
    std::string op;        // one of ConditionOperators()
    nlohmann::json value;  // null for exists / not_exists

    nlohmann::json ToJson() const;
};

const std::vector<std::string>& ConditionOperators();

/// Parses and checks the `conditions` array of a rule for events of `event_type` (whose data
/// schema says which fields exist). Problems are appended to `errors` under `conditions[i]…`.
std::vector<Condition> ParseConditions(const nlohmann::json& conditions, const std::string& event_type,
                                       std::vector<FieldError>& errors);

/// The outcome of one condition on one event, as dry runs and logs show it.
struct ConditionResult {
    bool passed = false;
    bool field_missing = false;
    nlohmann::json actual;  // the event's value at the field (null when missing)
};

ConditionResult Evaluate(const Condition& condition, const nlohmann::json& data);
bool AllHold(const std::vector<Condition>& conditions, const nlohmann::json& data);

}  // namespace kiln::workflows
