#pragma once

#include "http/route.hpp"

namespace kiln::billing {

/// /invoices, /invoices/{id} and its issue and void actions; declares the invoice.* event types.
void RegisterInvoiceRoutes(http::RouteTable& routes);

}  // namespace kiln::billing
