#pragma once

#include <string>

#include "http/request_context.hpp"
#include "http/route.hpp"
#include "modules/billing/payment_routes.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// The payment `id` of a request names; NotFound when it is none of the tenant's.
billing::Payment RequestedPayment(http::RequestContext& ctx, const std::string& id);

/// Payments through gateways: POST /payments/{id}/intent creates the gateway's object for a
/// pending payment; then each provider's own payment routes (Provider::RegisterRoutes), e.g.
/// POST /payments/razorpay/verify, which checks a Razorpay Checkout signature.
void RegisterPaymentGatewayRoutes(http::RouteTable& routes, const IntegrationService& service);

/// What billing's refund route calls for a gateway payment: a full refund at the gateway through the
/// tenant's integration of that type, keyed by the payment so a retried request refunds once.
billing::GatewayRefund MakeGatewayRefund(const IntegrationService& service);

}  // namespace kiln::integrations
