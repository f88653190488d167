#pragma once

#include "http/route.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// /integrations: types and their configuration schemas, CRUD, connectivity tests.
void RegisterIntegrationRoutes(http::RouteTable& routes, const IntegrationService& service);

}  // namespace kiln::integrations
