#pragma once

#include "http/route.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// Payments through gateways: POST /payments/{id}/intent creates the gateway's object for a
/// pending payment; POST /payments/razorpay/verify checks a Razorpay Checkout signature.
void RegisterPaymentGatewayRoutes(http::RouteTable& routes, const IntegrationService& service);

}  // namespace kiln::integrations
