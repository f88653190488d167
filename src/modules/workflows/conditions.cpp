#include "modules/workflows/conditions.hpp"

#include <algorithm>

#include "modules/events/event_types.hpp"

namespace kiln::workflows {

namespace {

constexpr size_t kMaxInValues = 100;

bool IsOrdering(const std::string& op) {
    return op == "gt" || op == "gte" || op == "lt" || op == "lte";
}

/// Numbers compare as numbers and strings as strings (ISO 8601 times order as text); anything
/// else, or a number against a string, does not compare and the condition is false.
std::optional<int> Compare(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() && !b.is_number_unsigned()) {
            const auto x = a.get<int64_t>();
            const auto y = b.get<int64_t>();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const auto x = a.get<double>();
        const auto y = b.get<double>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_string() && b.is_string()) {
        const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

/// JSON equality, except that 5 and 5.0 are equal (payloads mix integers and decimals).
bool Equal(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.is_number() && b.is_number()) return Compare(a, b) == 0;
    return a == b;
}

bool InList(const nlohmann::json& actual, const nlohmann::json& list) {
    return std::any_of(list.begin(), list.end(), [&](const nlohmann::json& v) { return Equal(actual, v); });
}

bool Holds(const std::string& op, const nlohmann::json& actual, const nlohmann::json& value) {
    if (op == "equals") return Equal(actual, value);
    if (op == "not_equals") return !Equal(actual, value);
    if (op == "in") return InList(actual, value);
    if (op == "not_in") return !InList(actual, value);
    const auto c = Compare(actual, value);
    if (!c) return false;
    if (op == "gt") return *c > 0;
    if (op == "gte") return *c >= 0;
    if (op == "lt") return *c < 0;
    return *c <= 0;  // lte
}

const nlohmann::json* DataSchemaOf(const std::string& event_type) {
    for (const auto& type : events::EventTypeRegistry::Instance().types())
        if (type.name == event_type) return &type.data_schema;
    return nullptr;
}

void CheckValue(const std::string& op, const nlohmann::json& value, const std::string& where,
                std::vector<FieldError>& errors) {
    if (op == "exists" || op == "not_exists") {
        if (!value.is_null()) errors.push_back({where, "must be absent for " + op});
    } else if (op == "in" || op == "not_in") {
        if (!value.is_array() || value.empty() || value.size() > kMaxInValues)
            errors.push_back({where, "must be a list of 1 to " + std::to_string(kMaxInValues) + " values for " + op});
    } else if (IsOrdering(op)) {
        if (!value.is_number() && !value.is_string())
            errors.push_back({where, "must be a number or a string for " + op});
    } else if (value.is_null()) {
        errors.push_back({where, "is required for " + op});
    }
}

}  // namespace

nlohmann::json Condition::ToJson() const {
    nlohmann::json out = {{"field", field.text()}, {"op", op}};
    if (!value.is_null()) out["value"] = value;
    return out;
}

const std::vector<std::string>& ConditionOperators() {
    static const std::vector<std::string> ops = {"equals", "not_equals", "in",  "not_in", "gt",
                                                 "gte",    "lt",         "lte", "exists", "not_exists"};
    return ops;
}

std::vector<Condition> ParseConditions(const nlohmann::json& conditions, const std::string& event_type,
                                       std::vector<FieldError>& errors) {
    std::vector<Condition> out;
    const nlohmann::json* schema = DataSchemaOf(event_type);
    for (size_t i = 0; i < conditions.size(); ++i) {
        const std::string where = "conditions[" + std::to_string(i) + "]";
        const auto& c = conditions[i];
        // The body schema has checked the shape: field and op are strings, op is known.
        const std::string field_text = c.at("field");
        const std::string op = c.at("op");
        const nlohmann::json value = c.value("value", nlohmann::json());
        auto path = JsonPath::Parse(field_text);
        if (!path) {
            errors.push_back({where + ".field", "must be a dotted path such as invoice.total"});
            continue;
        }
        if (schema != nullptr && !path->FitsSchema(*schema)) {
            errors.push_back({where + ".field", "is not a field of " + event_type + " events"});
            continue;
        }
        const auto before = errors.size();
        CheckValue(op, value, where + ".value", errors);
        if (errors.size() == before) out.push_back({std::move(*path), op, value});
    }
    return out;
}

ConditionResult Evaluate(const Condition& condition, const nlohmann::json& data) {
    const nlohmann::json* actual = condition.field.Find(data);
    ConditionResult result;
    result.field_missing = actual == nullptr;
    result.actual = actual == nullptr ? nlohmann::json() : *actual;
    if (condition.op == "exists") {
        result.passed = actual != nullptr;
    } else if (condition.op == "not_exists") {
        result.passed = actual == nullptr;
    } else {
        result.passed = actual != nullptr && Holds(condition.op, *actual, condition.value);
    }
    return result;
}

bool AllHold(const std::vector<Condition>& conditions, const nlohmann::json& data) {
    return std::all_of(conditions.begin(), conditions.end(),
                       [&](const Condition& c) { return Evaluate(c, data).passed; });
}

}  // namespace kiln::workflows
