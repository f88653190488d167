#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::catalog {

/// product.created, .updated, .deleted.
void DeclareProductEvents(events::EventTypeRegistry& registry);

/// /products and /products/{id}; declares the product.* event types.
void RegisterProductRoutes(http::RouteTable& routes);

}  // namespace kiln::catalog
