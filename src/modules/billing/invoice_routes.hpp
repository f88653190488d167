#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::billing {

/// invoice.created, .updated, .deleted, .issued, .voided, and .paid (published by payments).
void DeclareInvoiceEvents(events::EventTypeRegistry& registry);

/// /invoices, /invoices/{id} and its issue and void actions; declares the invoice.* event types.
void RegisterInvoiceRoutes(http::RouteTable& routes);

}  // namespace kiln::billing
