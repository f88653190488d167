#include "modules/workflows/action_registry.hpp"

#include <stdexcept>

namespace kiln::workflows {

void ActionRegistry::Register(ActionType type) {
    if (Find(type.name) != nullptr) throw std::logic_error("workflow action registered twice: " + type.name);
    types_.push_back(std::move(type));
}

const ActionType* ActionRegistry::Find(const std::string& name) const {
    for (const auto& type : types_)
        if (type.name == name) return &type;
    return nullptr;
}

std::vector<std::string> ActionRegistry::names() const {
    std::vector<std::string> out;
    out.reserve(types_.size());
    for (const auto& type : types_) out.push_back(type.name);
    return out;
}

std::vector<RuleAction> ActionRegistry::ParseActions(const db::TenantScope& scope, const nlohmann::json& actions,
                                                     std::vector<FieldError>& errors) const {
    std::vector<RuleAction> out;
    for (size_t i = 0; i < actions.size(); ++i) {
        const std::string where = "actions[" + std::to_string(i) + "]";
        const std::string name = actions[i].at("type");
        const ActionType* type = Find(name);
        if (type == nullptr) {
            errors.push_back({where + ".type", "is not a known action; GET /workflows/actions lists them"});
            continue;
        }
        const nlohmann::json params = actions[i].value("params", nlohmann::json::object());
        const auto before = errors.size();
        type->params.Collect(params, where + ".params", errors);
        if (errors.size() == before && type->check) type->check(scope, params, where + ".params", errors);
        if (errors.size() == before) out.push_back({name, params, type->secret_params});
    }
    return out;
}

}  // namespace kiln::workflows
