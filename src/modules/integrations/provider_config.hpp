#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "egress/egress_policy.hpp"
#include "modules/integrations/integration.hpp"
#include "modules/integrations/provider_endpoints.hpp"

namespace kiln::integrations {

/// What an adapter reads: one integration's effective configuration (the tenant's fields, the
/// platform's fallbacks, the defaults), with its secrets known so that no message carries one; the
/// operator's endpoint overrides; and, for a call made inside a request, its shorter time budget.
class ProviderConfig final {
  public:
    ProviderConfig(IntegrationId id, std::string type, std::string mode, nlohmann::json values,
                   std::vector<std::string> secrets, EndpointOverride endpoints = {},
                   std::optional<std::chrono::milliseconds> in_request_timeout = std::nullopt)
        : id_(std::move(id)),
          type_(std::move(type)),
          mode_(std::move(mode)),
          values_(std::move(values)),
          secrets_(std::move(secrets)),
          endpoints_(std::move(endpoints)),
          in_request_timeout_(in_request_timeout) {}

    const IntegrationId& id() const { return id_; }
    const std::string& type() const { return type_; }
    const std::string& mode() const { return mode_; }
    const nlohmann::json& values() const { return values_; }
    const std::vector<std::string>& secrets() const { return secrets_; }

    /// A field the call cannot do without: ProviderError (misconfigured) when it is empty.
    std::string Required(const std::string& field) const;
    std::string Get(const std::string& field, const std::string& fallback = "") const;
    double Number(const std::string& field, double fallback) const;
    std::vector<std::string> List(const std::string& field) const;
    /// The operator's override of the API origin, else `pinned` (the provider's own host, or for a
    /// custom integration the tenant's base_url), without a trailing slash.
    std::string BaseUrl(const std::string& pinned) const;
    /// The operator's override of the OAuth host (DocuSign), else `pinned`.
    std::string OAuthBaseUrl(const std::string& pinned) const;
    bool HasBaseUrlOverride() const { return !endpoints_.base_url.empty(); }
    /// Operator-trusted when `url` lies under an endpoint the operator set, tenant-trusted otherwise
    /// (pinned provider hosts are public, so the strict tenant policy lets them through).
    egress::Trust TrustOf(const std::string& url) const;
    /// Set for a call made while a request waits: at most this long per call, and no retries.
    std::optional<std::chrono::milliseconds> in_request_timeout() const { return in_request_timeout_; }

  private:
    IntegrationId id_;
    std::string type_;
    std::string mode_;
    nlohmann::json values_;
    std::vector<std::string> secrets_;
    EndpointOverride endpoints_;
    std::optional<std::chrono::milliseconds> in_request_timeout_;
};

}  // namespace kiln::integrations
