#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::sales {

/// sales_order.created, .updated, .deleted, .confirmed, .fulfilled, .cancelled.
void DeclareSalesOrderEvents(events::EventTypeRegistry& registry);

/// /sales-orders, /sales-orders/{id} and its confirm, fulfill and cancel actions; declares the
/// sales_order.* event types.
void RegisterSalesOrderRoutes(http::RouteTable& routes);

}  // namespace kiln::sales
