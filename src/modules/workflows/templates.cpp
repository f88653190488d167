#include "modules/workflows/templates.hpp"

#include "core/form_encoding.hpp"
#include "core/strings.hpp"
#include "modules/workflows/json_path.hpp"

namespace kiln::workflows {

namespace {

std::string Quote(const std::string& expression, const nlohmann::json& context) {
    const auto path = JsonPath::Parse(strings::Trim(expression));
    const nlohmann::json* value = path ? path->Find(context) : nullptr;
    if (value == nullptr || value->is_null()) return "";
    return value->is_string() ? value->get<std::string>() : value->dump();
}

/// A dot segment would climb the path even with its slashes encoded.
std::string UrlEncode(const std::string& value) {
    if (value == ".") return "%2E";
    if (value == "..") return "%2E%2E";
    return PercentEncode(value);
}

}  // namespace

std::string RenderTemplate(const std::string& text, const nlohmann::json& context, bool url_encode) {
    std::string out;
    out.reserve(text.size());
    size_t at = 0;
    while (true) {
        const size_t open = text.find("{{", at);
        const size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 2);
        if (close == std::string::npos) {
            out.append(text, at, std::string::npos);
            return out;
        }
        out.append(text, at, open - at);
        const std::string quoted = Quote(text.substr(open + 2, close - open - 2), context);
        out += url_encode ? UrlEncode(quoted) : quoted;
        at = close + 2;
    }
}

nlohmann::json RenderStrings(const nlohmann::json& value, const nlohmann::json& context, bool url_encode) {
    if (value.is_string()) return RenderTemplate(value.get<std::string>(), context, url_encode);
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : value) out.push_back(RenderStrings(item, context, url_encode));
        return out;
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : value.items()) out[key] = RenderStrings(item, context, url_encode);
        return out;
    }
    return value;
}

bool HasPlaceholderBeforePath(const std::string& url_template) {
    const size_t placeholder = url_template.find("{{");
    if (placeholder == std::string::npos) return false;
    const size_t scheme_end = url_template.find("://");
    if (scheme_end == std::string::npos) return true;
    const size_t authority_end = url_template.find_first_of("/?#", scheme_end + 3);
    return authority_end == std::string::npos || placeholder < authority_end;
}

}  // namespace kiln::workflows
