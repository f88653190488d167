#pragma once

#include "http/route.hpp"

namespace kiln::customers {

/// /customers and /customers/{id}; declares the customer.* event types.
void RegisterCustomerRoutes(http::RouteTable& routes);

}  // namespace kiln::customers
