#include "modules/integrations/provider_endpoints.hpp"

#include <stdexcept>

#include "core/strings.hpp"

namespace kiln::integrations {

namespace {

std::string WithoutTrailingSlash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string Field(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) return "";
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? WithoutTrailingSlash(it->get<std::string>()) : "";
}

}  // namespace

std::string OverrideVariable(const std::string& key) {
    if (key == "docusign.oauth") return "KILN_DOCUSIGN_OAUTH_BASE_URL";
    return "KILN_" + strings::ToUpper(key) + "_BASE_URL";
}

std::optional<std::string> EndpointUrlProblem(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return "is not a URL (https://host[:port][/path])";
    const std::string name = url.substr(0, scheme);
    if (name != "https" && name != "http") return "must be an http or https URL";
    const std::string rest = url.substr(scheme + 3);
    const std::string authority = rest.substr(0, rest.find('/'));
    if (authority.empty()) return "has no host";
    if (authority.find('@') != std::string::npos) return "must not carry user information";
    if (url.find_first_of("?#") != std::string::npos) return "must not carry a query or fragment";
    if (url.find_first_of(" \t\r\n") != std::string::npos) return "must not contain blanks";
    if (url.size() > 2048) return "is longer than 2048 characters";
    return std::nullopt;
}

OperatorEndpoints::OperatorEndpoints(const std::map<std::string, std::string>& urls_by_type) {
    for (const auto& [key, url] : urls_by_type) {
        if (const auto problem = EndpointUrlProblem(url))
            throw std::invalid_argument(OverrideVariable(key) + " " + *problem + ": " + url);
        urls_[key] = WithoutTrailingSlash(url);
    }
}

EndpointOverride OperatorEndpoints::For(const std::string& type, const nlohmann::json& integration_override) const {
    const auto platform = [this](const std::string& key) {
        const auto it = urls_.find(key);
        return it == urls_.end() ? std::string() : it->second;
    };
    EndpointOverride endpoints{Field(integration_override, "base_url"), Field(integration_override, "oauth_base_url")};
    if (endpoints.base_url.empty()) endpoints.base_url = platform(type);
    if (endpoints.oauth_base_url.empty()) endpoints.oauth_base_url = platform(type + ".oauth");
    return endpoints;
}

}  // namespace kiln::integrations
