#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

/// What an adapter reads: one integration's effective configuration (the tenant's fields, the
/// platform's fallbacks, the defaults), with its secrets known so that no message carries one.
class ProviderConfig final {
  public:
    ProviderConfig(IntegrationId id, std::string type, std::string mode, nlohmann::json values,
                   std::vector<std::string> secrets)
        : id_(std::move(id)),
          type_(std::move(type)),
          mode_(std::move(mode)),
          values_(std::move(values)),
          secrets_(std::move(secrets)) {}

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
    /// The configured `base_url` without a trailing slash, else the provider's `default_url`.
    std::string BaseUrl(const std::string& default_url) const;

  private:
    IntegrationId id_;
    std::string type_;
    std::string mode_;
    nlohmann::json values_;
    std::vector<std::string> secrets_;
};

}  // namespace kiln::integrations
