#pragma once

#include <string>
#include <string_view>

namespace kiln::json_text {

/// Appends `text` as a JSON string literal (quotes included): quotes, backslashes and control
/// characters escaped, invalid UTF-8 replaced by U+FFFD. For the few hot paths (access log lines,
/// span exports) that write JSON by hand instead of building a nlohmann::json first.
void AppendString(std::string& out, std::string_view text);

/// Appends `"key":` — `key` must need no escaping (a literal chosen in code).
inline void AppendKey(std::string& out, std::string_view key) {
    out += '"';
    out += key;
    out += "\":";
}

}  // namespace kiln::json_text
