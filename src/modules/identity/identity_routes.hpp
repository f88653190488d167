#pragma once

#include "auth/client_address.hpp"
#include "auth/login_rate_limiter.hpp"
#include "http/route.hpp"
#include "modules/identity/identity_settings.hpp"

namespace kiln::identity {

/// POST/GET /invitations, GET/DELETE /invitations/{id}, POST /invitations/accept.
void RegisterInvitationRoutes(http::RouteTable& routes, const IdentitySettings& settings);
/// POST /auth/password, POST /auth/password-reset, POST /auth/password-reset/confirm.
void RegisterPasswordRoutes(http::RouteTable& routes, const IdentitySettings& settings, auth::LoginRateLimiter& limiter,
                            const auth::TrustedProxies& proxies);

}  // namespace kiln::identity
