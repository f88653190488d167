#pragma once

#include <nlohmann/json.hpp>

#include "core/secret_vault.hpp"
#include "http/route.hpp"
#include "modules/audit/audit_repository.hpp"

namespace kiln::audit {

/// GET /audit-logs (filters, cursor pagination) and GET /audit-logs/verify. `vault` (the audit
/// keys derive from its master key) must outlive the routes.
void RegisterAuditRoutes(http::RouteTable& routes, const SecretVault& vault);

/// How the API and `kiln admin verify-audit` report a walk.
nlohmann::json VerificationJson(const ChainVerification& result);

}  // namespace kiln::audit
