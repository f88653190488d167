#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kiln::workflows {

/// Action parameters may quote the event: "Invoice {{data.invoice.number}} is overdue". A
/// placeholder is a JsonPath into the context {"event": envelope, "data": event data, "rule":
/// {"id", "name"}}; strings are inserted as they are, other values as compact JSON, and a missing
/// path as nothing. There is no logic in templates: conditions decide, templates only quote.
/// With `url_encode`, each quoted value is percent-encoded (RFC 3986 unreserved characters stay;
/// "." and ".." become %2E and %2E%2E), so event data cannot add path segments, a query, a
/// fragment or credentials to a URL template.
std::string RenderTemplate(const std::string& text, const nlohmann::json& context, bool url_encode = false);

/// Renders every string inside `value` (object values and array items, not keys).
nlohmann::json RenderStrings(const nlohmann::json& value, const nlohmann::json& context, bool url_encode = false);

/// Where a URL template's placeholders may not go: before the end of its authority (scheme,
/// user info, host, port), so the event's data can never choose where a request goes. True when
/// a "{{" starts there (or the template has no "scheme://" at all).
bool HasPlaceholderBeforePath(const std::string& url_template);

}  // namespace kiln::workflows
