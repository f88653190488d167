#include "modules/workflows/templates.hpp"

#include "modules/workflows/json_path.hpp"

namespace kiln::workflows {

namespace {

std::string Trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return "";
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

std::string Quote(const std::string& expression, const nlohmann::json& context) {
    const auto path = JsonPath::Parse(Trim(expression));
    const nlohmann::json* value = path ? path->Find(context) : nullptr;
    if (value == nullptr || value->is_null()) return "";
    return value->is_string() ? value->get<std::string>() : value->dump();
}

}  // namespace

std::string RenderTemplate(const std::string& text, const nlohmann::json& context) {
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
        out += Quote(text.substr(open + 2, close - open - 2), context);
        at = close + 2;
    }
}

nlohmann::json RenderStrings(const nlohmann::json& value, const nlohmann::json& context) {
    if (value.is_string()) return RenderTemplate(value.get<std::string>(), context);
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : value) out.push_back(RenderStrings(item, context));
        return out;
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, item] : value.items()) out[key] = RenderStrings(item, context);
        return out;
    }
    return value;
}

}  // namespace kiln::workflows
