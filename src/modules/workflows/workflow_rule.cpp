#include "modules/workflows/workflow_rule.hpp"

#include "modules/workflows/workflow_secrets.hpp"

namespace kiln::workflows {

nlohmann::json WorkflowRule::ConditionsJson() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : conditions) out.push_back(c.ToJson());
    return out;
}

nlohmann::json RuleAction::MaskedParams() const {
    return MaskSecrets(params, secret_params);
}

nlohmann::json WorkflowRule::ActionsJson() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : actions) out.push_back({{"type", a.type}, {"params", a.MaskedParams()}});
    return out;
}

nlohmann::json WorkflowRule::ToJson() const {
    return {{"id", id.str()},
            {"name", name},
            {"description", description},
            {"trigger_event", trigger_event},
            {"conditions", ConditionsJson()},
            {"actions", ActionsJson()},
            {"is_enabled", is_enabled},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

std::vector<Condition> StoredConditions(const nlohmann::json& stored) {
    std::vector<Condition> out;
    for (const auto& c : stored) {
        auto path = JsonPath::Parse(c.at("field").get<std::string>());
        if (!path) continue;  // cannot happen: paths are checked before they are stored
        out.push_back({std::move(*path), c.at("op"), c.value("value", nlohmann::json())});
    }
    return out;
}

}  // namespace kiln::workflows
