// JSON Schemas and configuration values through common::JsonSchema, the validator of plugin and integration
// configurations. Even first bytes: the rest is a schema (a platform administrator's config_schema) compiled and
// checked against a few fixed values. Odd: the rest is a value (a tenant's configuration) checked against a fixed
// plugin schema with patterns, nesting, references and defaults. A bad schema must end as ValidationError, a check
// must never throw, and every field error must be named under its prefix.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "modules/common/json_schema.hpp"

namespace {

using nlohmann::json;
using kiln::common::JsonSchema;

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
