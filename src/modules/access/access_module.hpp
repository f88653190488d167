#pragma once

#include "auth/client_address.hpp"
#include "auth/login_rate_limiter.hpp"
#include "core/config.hpp"
#include "modules/module.hpp"

namespace kiln::access {

/// The access module: sign-in sessions and personal API tokens.
class AccessModule final : public modules::Module {
  public:
    AccessModule(const Config& config, auth::LoginRateLimiter& limiter, const auth::TrustedProxies& proxies)
        : config_(config), limiter_(limiter), proxies_(proxies) {}

    std::string_view name() const override { return "access"; }
    void RegisterRoutes(http::RouteTable& routes) const override;

  private:
    const Config& config_;
    auth::LoginRateLimiter& limiter_;
    const auth::TrustedProxies& proxies_;
};

}  // namespace kiln::access
