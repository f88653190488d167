#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace kiln::http {

class Schema;

struct SchemaProperty {
    std::string name;
    std::shared_ptr<const Schema> schema;
    bool required;
};

/// The shape of a request body, declared once per route: it validates the body (collecting
/// every field error, rejecting unknown fields) and renders itself as JSON Schema for OpenAPI.
class Schema {
  public:
    enum class Type { kString, kInteger, kBoolean, kArray, kObject, kAny };

    static Schema String() { return Schema(Type::kString); }
    static Schema Integer() { return Schema(Type::kInteger); }
    static Schema Boolean() { return Schema(Type::kBoolean); }
    static Schema ArrayOf(Schema items);
    static Schema Object() { return Schema(Type::kObject); }
    /// Any JSON value but null (unless Nullable): for values whose type depends on other fields,
    /// which the handler then checks.
    static Schema Any() { return Schema(Type::kAny); }

    Schema& MinLength(size_t n) {
        min_length_ = n;
        return *this;
    }
    Schema& MaxLength(size_t n) {
        max_length_ = n;
        return *this;
    }
    Schema& Minimum(int64_t n) {
        minimum_ = n;
        return *this;
    }
    Schema& Maximum(int64_t n) {
        maximum_ = n;
        return *this;
    }
    Schema& MaxItems(size_t n) {
        max_items_ = n;
        return *this;
    }
    Schema& Enum(std::vector<std::string> values) {
        enum_ = std::move(values);
        return *this;
    }
    /// "email", "date-time", "uuid", "slug"; checked, and published in the schema.
    Schema& Format(std::string format) {
        format_ = std::move(format);
        return *this;
    }
    Schema& Nullable() {
        nullable_ = true;
        return *this;
    }
    /// An object whose keys are the sender's (e.g. a payment gateway's response): any property is accepted.
    Schema& AnyProperties() {
        any_properties_ = true;
        return *this;
    }
    /// A field only Kiln sets (shown in responses): a request that sends it, even as null, gets the
    /// field error "is set by Kiln only". Published as JSON Schema `readOnly`.
    Schema& ReadOnly() {
        read_only_ = true;
        return *this;
    }
    Schema& Description(std::string text) {
        description_ = std::move(text);
        return *this;
    }
    Schema& Field(std::string name, Schema schema, bool required = false);
    Schema& Required(std::string name, Schema schema) { return Field(std::move(name), std::move(schema), true); }

    /// Whether an object schema requires any field: a route whose body requires none takes no body as `{}`.
    bool HasRequiredFields() const {
        return std::any_of(properties_.begin(), properties_.end(), [](const auto& p) { return p.required; });
    }
    /// Throws ValidationError with every problem found.
    void Validate(const nlohmann::json& value) const;
    void Collect(const nlohmann::json& value, const std::string& path, std::vector<FieldError>& errors) const;
    nlohmann::json ToJsonSchema() const;

  private:
    explicit Schema(Type type) : type_(type) {}

    Type type_;
    std::optional<size_t> min_length_, max_length_, max_items_;
    std::optional<int64_t> minimum_, maximum_;
    std::vector<std::string> enum_;
    std::string format_, description_;
    bool nullable_ = false;
    bool any_properties_ = false;
    bool read_only_ = false;
    std::shared_ptr<Schema> items_;
    std::vector<SchemaProperty> properties_;
};

/// Parses a request body as JSON. Malformed JSON or invalid UTF-8 → BadRequest.
nlohmann::json ParseJsonBody(const std::string& body);

}  // namespace kiln::http
