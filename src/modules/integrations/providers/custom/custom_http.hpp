#pragma once

#include <string>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// A tenant's own HTTP API, called by workflows: base_url + a path under one of the integration's allowed_paths
/// (whole segments, no dot segments or encoded separators), with the configured credential header. Any HTTP status
/// is a result for the workflow to record; only transport failures and refusals before sending throw.
class CustomHttp final : public HttpEndpoint {
  public:
    explicit CustomHttp(const ProviderClient& client) : client_(client) {}

    /// Passes unless the endpoint refuses the credentials (401/403) or fails (5xx) on the first allowed path.
    void TestConnection() override;
    /// `call.path` may carry a query string (`/v1/orders?status=open`); the path before it must be allowed.
    HttpCallResult Call(const HttpCall& call) override;

  private:
    egress::OutboundRequest NewRequest(const std::string& method, const std::string& path) const;

    const ProviderClient& client_;
};

}  // namespace kiln::integrations
