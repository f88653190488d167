// JSON Schemas and configuration values through common::JsonSchema, the validator of plugin and integration
// configurations. Even first bytes: the rest is a schema (a platform administrator's config_schema) compiled and
// checked against a few fixed values. Odd: the rest is a value (a tenant's configuration) checked against a fixed
// plugin schema with patterns, nesting, references and defaults. A bad schema must end as ValidationError, a check
// must never throw, and every field error must be named under its prefix. Patterns with more than four quantifiers
// are skipped: std::regex backtracks without a time limit (docs/plugins.md, known gaps), which is not what this
// target looks for.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "modules/common/json_schema.hpp"

namespace {

using kiln::common::JsonSchema;
using nlohmann::json;

const JsonSchema& PluginSchema() {
    static const JsonSchema schema = JsonSchema::Compile(json::parse(R"({
        "type": "object",
        "additionalProperties": false,
        "required": ["api_key", "city"],
        "definitions": {"code": {"type": "string", "pattern": "^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$"}},
        "properties": {
            "api_key": {"type": "string", "writeOnly": true, "minLength": 16, "maxLength": 200},
            "city": {"type": "string", "pattern": "^[A-Za-z ]+$"},
            "gstin": {"$ref": "#/definitions/code"},
            "units": {"enum": ["metric", "imperial"], "default": "metric"},
            "retries": {"type": "integer", "minimum": 0, "maximum": 10, "multipleOf": 1},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "uniqueItems": true},
            "display": {"type": "object", "properties": {"theme": {"type": "string"}},
                        "patternProperties": {"^x-": {"type": "number"}}},
            "mode": {"oneOf": [{"const": "a"}, {"type": "integer"}]},
            "tree": {"type": "object", "properties": {"child": {"$ref": "#/properties/tree"}}}
        }
    })"),
                                                         "config_schema");
    return schema;
}

void ExpectNamed(const std::vector<kiln::FieldError>& errors, const std::string& prefix) {
    for (const auto& error : errors)
        if (error.field.rfind(prefix, 0) != 0 || error.message.empty()) std::abort();
}

/// More than four quantifiers in one pattern anywhere in the input.
bool HasBusyPattern(const json& node) {
    if (node.is_string()) {
        const auto& text = node.get_ref<const std::string&>();
        return std::count_if(text.begin(), text.end(), [](char c) { return c == '*' || c == '+' || c == '{'; }) > 4;
    }
    if (node.is_array() || node.is_object())
        for (const auto& item : node.items())
            if (HasBusyPattern(item.value()) || (node.is_object() && HasBusyPattern(json(item.key())))) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const bool schema_input = (data[0] % 2) == 0;
    const json parsed = json::parse(reinterpret_cast<const char*>(data) + 1, reinterpret_cast<const char*>(data) + size,
                                    nullptr, false);
    if (parsed.is_discarded()) return 0;
    if (!schema_input) {
        json value = parsed;
        kiln::common::ApplyDefaults(PluginSchema().document(), value);
        ExpectNamed(PluginSchema().Check(value, "config"), "config");
        return 0;
    }
    if (HasBusyPattern(parsed)) return 0;
    try {
        const JsonSchema schema = JsonSchema::Compile(parsed, "config_schema");
        // Short values only: std::regex has no time limit, and patterns come from platform administrators.
        for (const json& value : {json::parse(R"({"a": "aaaaaaab", "b": [1, "x", null], "c": {"d": 2.5}})"),
                                  json("short"), json(12), json::array({true, false})})
            ExpectNamed(schema.Check(value, "config"), "config");
    } catch (const kiln::ValidationError& e) {
        if (e.field_errors().empty()) std::abort();
        for (const auto& error : e.field_errors())
            if (error.field.rfind("config_schema", 0) != 0) std::abort();
    }
    return 0;
}
