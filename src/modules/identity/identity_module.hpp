#pragma once

#include "auth/client_address.hpp"
#include "auth/login_rate_limiter.hpp"
#include "modules/identity/identity_settings.hpp"
#include "modules/module.hpp"

namespace kiln::identity {

/// The identity module: invitations and password resets, with the jobs that mail their links.
class IdentityModule final : public modules::Module {
  public:
    IdentityModule(const IdentitySettings& settings, auth::LoginRateLimiter& limiter,
                   const auth::TrustedProxies& proxies)
        : settings_(settings), limiter_(limiter), proxies_(proxies) {}

    std::string_view name() const override { return "identity"; }
    void RegisterRoutes(http::RouteTable& routes) const override;
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const override;

  private:
    const IdentitySettings& settings_;
    auth::LoginRateLimiter& limiter_;
    const auth::TrustedProxies& proxies_;
};

}  // namespace kiln::identity
