#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::workflows {

/// A dotted path into an event's data, as rules write it: "invoice.total", "order.lines.0.sku".
/// Segments are object keys, or array indexes when they are all digits.
class JsonPath final {
  public:
    /// Empty when `text` is not a path: empty, a segment empty, or longer than 200 characters.
    static std::optional<JsonPath> Parse(std::string_view text);

    /// The value at the path, or nullptr when any segment is missing.
    const nlohmann::json* Find(const nlohmann::json& root) const;
    /// Whether a JSON Schema (as event types declare them) can hold a value at the path. The top
    /// level is closed: its properties are all an event carries. Deeper objects are closed only when
    /// they say `additionalProperties: false`; otherwise a field the schema does not name may exist.
    bool FitsSchema(const nlohmann::json& schema) const;

    const std::string& text() const { return text_; }

  private:
    std::string text_;
    std::vector<std::string> segments_;
};

}  // namespace kiln::workflows
