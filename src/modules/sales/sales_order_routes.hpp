#pragma once

#include "http/route.hpp"

namespace kiln::sales {

/// /sales-orders, /sales-orders/{id} and its confirm, fulfill and cancel actions; declares the
/// sales_order.* event types.
void RegisterSalesOrderRoutes(http::RouteTable& routes);

}  // namespace kiln::sales
