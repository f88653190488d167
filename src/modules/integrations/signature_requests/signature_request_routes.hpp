#pragma once

#include "http/route.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// POST /signature-requests (sends an envelope), GET /signature-requests/{id} and
/// POST /signature-requests/{id}/refresh (asks the provider for the envelope's status).
void RegisterSignatureRequestRoutes(http::RouteTable& routes, const IntegrationService& service);

}  // namespace kiln::integrations
