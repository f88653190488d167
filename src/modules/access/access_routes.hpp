#pragma once

#include "auth/client_address.hpp"
#include "auth/login_rate_limiter.hpp"
#include "core/config.hpp"
#include "http/route.hpp"

namespace kiln::access {

/// POST /auth/login, POST /auth/logout, GET /auth/me. `proxies` say whose forwarding headers give the client address.
void RegisterSessionRoutes(http::RouteTable& routes, const Config& config, auth::LoginRateLimiter& limiter,
                           const auth::TrustedProxies& proxies);
/// POST/GET /tokens, GET/DELETE /tokens/{id}: personal API tokens.
void RegisterTokenRoutes(http::RouteTable& routes);

}  // namespace kiln::access
