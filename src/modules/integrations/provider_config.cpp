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

namespace {

std::string WithoutTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

/// `url` is `base` or lies below it (the next character starts a path, query or fragment).
bool Under(const std::string& url, const std::string& base) {
    if (base.empty() || !url.starts_with(base)) return false;
    return url.size() == base.size() || url[base.size()] == '/' || url[base.size()] == '?' || url[base.size()] == '#';
}

}  // namespace

std::string ProviderConfig::BaseUrl(const std::string& pinned) const {
    return WithoutTrailingSlash(endpoints_.base_url.empty() ? pinned : endpoints_.base_url);
}

std::string ProviderConfig::OAuthBaseUrl(const std::string& pinned) const {
    return WithoutTrailingSlash(endpoints_.oauth_base_url.empty() ? pinned : endpoints_.oauth_base_url);
}

egress::Trust ProviderConfig::TrustOf(const std::string& url) const {
    if (Under(url, endpoints_.base_url) || Under(url, endpoints_.oauth_base_url)) return egress::Trust::kOperator;
    return egress::Trust::kTenant;
}

}  // namespace kiln::integrations
