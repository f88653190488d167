#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kiln::integrations {

/// Where one integration's calls go instead of the provider's pinned hosts. Only ever set by the
/// operator (an environment variable) or a platform administrator (PUT /admin/integrations/{id}/
/// endpoint), so these are operator-trusted destinations; empty fields keep the pinned host.
struct EndpointOverride {
    std::string base_url;        // the API origin (and path prefix), e.g. a test server's
    std::string oauth_base_url;  // DocuSign's OAuth host
};

/// An endpoint URL an operator may set: http(s), a host, no user information, query or fragment.
/// The reason it is not one, or nothing.
std::optional<std::string> EndpointUrlProblem(const std::string& url);

/// The variable of an operator override: KILN_<TYPE>_BASE_URL for `type`, KILN_DOCUSIGN_OAUTH_BASE_URL for
/// "docusign.oauth".
std::string OverrideVariable(const std::string& key);

/// The operator's platform-wide overrides from KILN_<TYPE>_BASE_URL (and KILN_DOCUSIGN_OAUTH_BASE_URL
/// as "docusign.oauth"), checked once at start.
class OperatorEndpoints final {
  public:
    OperatorEndpoints() = default;
    /// Throws std::invalid_argument naming the variable of a URL EndpointUrlProblem refuses.
    explicit OperatorEndpoints(const std::map<std::string, std::string>& urls_by_type);

    /// The integration's own override (`endpoint_override`, a platform administrator's) wins field
    /// by field over the type's environment override.
    EndpointOverride For(const std::string& type, const nlohmann::json& integration_override) const;

  private:
    std::map<std::string, std::string> urls_;
};

}  // namespace kiln::integrations
