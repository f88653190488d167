#pragma once

#include "http/route.hpp"

namespace kiln::billing {

/// /payments, /payments/{id} and its refund action; declares the payment.* event types.
void RegisterPaymentRoutes(http::RouteTable& routes);

}  // namespace kiln::billing
