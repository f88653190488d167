#pragma once

#include "http/route.hpp"

namespace kiln::catalog {

/// /products and /products/{id}; declares the product.* event types.
void RegisterProductRoutes(http::RouteTable& routes);

}  // namespace kiln::catalog
