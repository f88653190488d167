#pragma once

// JSON Schema (draft-07) with valijson: the one way Kiln compiles a schema it did not write itself (a plugin's
// config_schema) or one it did (an integration type's), and the one way it turns valijson's results into field
// errors. tests/unit/json_schema_conformance_test.cpp runs the JSON Schema Test Suite against it.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace valijson {
class Schema;
}  // namespace valijson

namespace kiln::common {

/// A compiled draft-07 schema. Cheap to copy (the compiled form is shared and immutable), safe to use from several
/// threads at once.
class JsonSchema final {
  public:
    /// Compiles `schema`, checked first against the draft-07 meta-schema. Refuses (ValidationError, fields named
    /// `field` + "." + the path inside the schema) a schema that is not a valid draft-07 schema, a `pattern` that
    /// is not an ECMAScript regular expression, and a `$ref` to any document but the schema itself or the draft-07
    /// meta-schema: Kiln never fetches a URL a schema names.
    static JsonSchema Compile(const nlohmann::json& schema, const std::string& field);

    /// Every reason `instance` does not match, as field errors named `prefix` + "." + the path of the value
    /// ("config.address.city", "config.items.2"); a missing required property or an unexpected one is reported
    /// on its own name. Empty when it matches. With any `pattern` in the schema, a string (or property name) of
    /// more than 16 KiB is refused unchecked: the regular expressions recurse per character.
    std::vector<FieldError> Check(const nlohmann::json& instance, const std::string& prefix) const;

    const nlohmann::json& document() const { return *document_; }

  private:
    JsonSchema(std::shared_ptr<const nlohmann::json> document, std::shared_ptr<const valijson::Schema> compiled,
               bool has_patterns)
        : document_(std::move(document)), compiled_(std::move(compiled)), has_patterns_(has_patterns) {}
    std::shared_ptr<const nlohmann::json> document_;
    std::shared_ptr<const valijson::Schema> compiled_;
    bool has_patterns_;  // checked on a thread with a large stack, long strings refused first (json_schema.cpp)
};

/// The draft-07 meta-schema (http://json-schema.org/draft-07/schema#).
const nlohmann::json& Draft07MetaSchema();

/// The name of the field `name` inside the field `path` ("config" + "city" → "config.city"), as field errors
/// name nested values.
std::string ChildField(const std::string& path, const std::string& name);

/// Fills in, for every object of `instance` that `schema` describes with `properties`, each absent property whose
/// schema has a `default` (recursively into present objects; `$ref`, `allOf` and the other combinators are not
/// followed). The result is checked afterwards like any other value.
void ApplyDefaults(const nlohmann::json& schema, nlohmann::json& instance);

}  // namespace kiln::common
