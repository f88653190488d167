#include "modules/integrations/provider_config.hpp"

#include "modules/integrations/provider_error.hpp"

namespace kiln::integrations {

std::string ProviderConfig::Get(const std::string& field, const std::string& fallback) const {
    const auto it = values_.find(field);
    if (it == values_.end() || !it->is_string() || it->get<std::string>().empty()) return fallback;
    return it->get<std::string>();
}

std::string ProviderConfig::Required(const std::string& field) const {
    std::string value = Get(field);
    if (value.empty())
        throw ProviderError(type_, ProviderError::Kind::kMisconfigured,
                            "the integration has no " + field + " configured");
    return value;
}

double ProviderConfig::Number(const std::string& field, double fallback) const {
    const auto it = values_.find(field);
    return it != values_.end() && it->is_number() ? it->get<double>() : fallback;
}

std::vector<std::string> ProviderConfig::List(const std::string& field) const {
    const auto it = values_.find(field);
    if (it == values_.end() || !it->is_array()) return {};
    std::vector<std::string> items;
    for (const auto& item : *it)
        if (item.is_string()) items.push_back(item.get<std::string>());
    return items;
}

std::string ProviderConfig::BaseUrl(const std::string& default_url) const {
    std::string url = Get("base_url", default_url);
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace kiln::integrations
