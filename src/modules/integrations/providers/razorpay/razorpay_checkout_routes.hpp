#pragma once

#include "http/route.hpp"

namespace kiln::integrations {

class IntegrationService;

/// POST /payments/razorpay/verify: Razorpay Checkout's success callback, checked and settled.
void RegisterRazorpayCheckoutRoutes(http::RouteTable& routes, const IntegrationService& service);

}  // namespace kiln::integrations
