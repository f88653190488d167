#pragma once

#include "http/route.hpp"

namespace kiln::billing {

/// POST /invoices/{id}/credit-notes, GET /credit-notes and /credit-notes/{id}.
void RegisterCreditNoteRoutes(http::RouteTable& routes);

}  // namespace kiln::billing
