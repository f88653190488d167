#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::customers {

/// customer.created, .updated, .deleted.
void DeclareCustomerEvents(events::EventTypeRegistry& registry);

/// /customers and /customers/{id}; declares the customer.* event types.
void RegisterCustomerRoutes(http::RouteTable& routes);

}  // namespace kiln::customers
