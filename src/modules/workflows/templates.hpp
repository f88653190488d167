#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kiln::workflows {

/// Action parameters may quote the event: "Invoice {{data.invoice.number}} is overdue". A
/// placeholder is a JsonPath into the context {"event": envelope, "data": event data, "rule":
/// {"id", "name"}}; strings are inserted as they are, other values as compact JSON, and a missing
/// path as nothing. There is no logic in templates: conditions decide, templates only quote.
std::string RenderTemplate(const std::string& text, const nlohmann::json& context);

/// Renders every string inside `value` (object values and array items, not keys).
nlohmann::json RenderStrings(const nlohmann::json& value, const nlohmann::json& context);

}  // namespace kiln::workflows
