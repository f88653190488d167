#include "modules/integrations/provider_json.hpp"

#include <algorithm>

#include "core/money.hpp"

namespace kiln::integrations {

namespace {

// 13 digits before the point keep the amount in cents far below what int64_t holds.
constexpr size_t kMaxWholeDigits = 13;

bool IsDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool LooksLikeId(std::string_view id, std::string_view prefix) {
    if (id.size() <= prefix.size() || !id.starts_with(prefix)) return false;
    return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool IsSuccess(int status) {
    return status >= 200 && status < 300;
}

std::string StringField(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string StringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& path) {
    if (!object.contains(path)) return "";
    const auto& value = object.at(path);
    return value.is_string() ? value.get<std::string>() : "";
}

std::string IdField(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) return {};
    const auto it = object.find(name);
    if (it == object.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();  // signed and unsigned alike
    return {};
}

int64_t IntegerField(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) return 0;
    const auto it = object.find(name);
    return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::optional<int64_t> DecimalToMinor(std::string_view text) {
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (!IsDigits(whole) || whole.size() > kMaxWholeDigits) return std::nullopt;
    if (dot != std::string_view::npos && !IsDigits(fraction)) return std::nullopt;
    if (fraction.size() > 2 && fraction.find_first_not_of('0', 2) != std::string_view::npos) return std::nullopt;
    int64_t minor = 0;
    for (const char c : whole) minor = minor * 10 + (c - '0');
    for (size_t i = 0; i < 2; ++i) minor = minor * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    if (minor > kMaxUnitPrice) return std::nullopt;
    return minor;
}

}  // namespace kiln::integrations
