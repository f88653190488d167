#pragma once

#include <nlohmann/json.hpp>

#include "http/route.hpp"

namespace kiln::http {

/// The OpenAPI 3.1 document, generated from the route declarations: nothing is listed by hand.
nlohmann::json BuildOpenApi(const RouteTable& routes);

/// GET /api/openapi.json and the browsable GET /api/docs.
void RegisterOpenApiRoutes(RouteTable& routes);

}  // namespace kiln::http
