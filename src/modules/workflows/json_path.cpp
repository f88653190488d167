#include "modules/workflows/json_path.hpp"

#include <algorithm>
#include <charconv>

namespace kiln::workflows {

namespace {

constexpr size_t kMaxPathLength = 200;

std::optional<size_t> ArrayIndex(const std::string& segment) {
    size_t index = 0;
    const auto* end = segment.data() + segment.size();
    const auto [ptr, ec] = std::from_chars(segment.data(), end, index);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return index;
}

bool IsClosed(const nlohmann::json& schema) {
    const auto it = schema.find("additionalProperties");
    return it != schema.end() && it->is_boolean() && !it->get<bool>();
}

}  // namespace

std::optional<JsonPath> JsonPath::Parse(std::string_view text) {
    if (text.empty() || text.size() > kMaxPathLength) return std::nullopt;
    JsonPath path;
    path.text_ = std::string(text);
    size_t start = 0;
    while (true) {
        const size_t dot = text.find('.', start);
        const auto segment = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (segment.empty()) return std::nullopt;
        path.segments_.emplace_back(segment);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return path;
}

const nlohmann::json* JsonPath::Find(const nlohmann::json& root) const {
    const nlohmann::json* at = &root;
    for (const auto& segment : segments_) {
        if (at->is_object()) {
            const auto it = at->find(segment);
            if (it == at->end()) return nullptr;
            at = &*it;
        } else if (at->is_array()) {
            const auto index = ArrayIndex(segment);
            if (!index || *index >= at->size()) return nullptr;
            at = &(*at)[*index];
        } else {
            return nullptr;
        }
    }
    return at;
}

bool JsonPath::FitsSchema(const nlohmann::json& schema) const {
    const nlohmann::json* at = &schema;
    for (size_t i = 0; i < segments_.size(); ++i) {
        const auto& segment = segments_[i];
        if (const auto items = at->find("items"); items != at->end() && ArrayIndex(segment)) {
            at = &*items;
            continue;
        }
        const auto properties = at->find("properties");
        if (properties != at->end() && properties->contains(segment)) {
            at = &(*properties)[segment];
            continue;
        }
        return i > 0 && !IsClosed(*at);
    }
    return true;
}

}  // namespace kiln::workflows
