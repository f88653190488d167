#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "http/route.hpp"
#include "modules/billing/payment_repository.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::billing {

/// Refunds `amount` (minor units) of a payment at the gateway it went through and describes the gateway's refund.
/// Called outside any write transaction (it waits on the network); throws when the gateway refuses.
using GatewayRefund =
    std::function<nlohmann::json(const db::TenantScope& scope, const Payment& payment, int64_t amount)>;

/// payment.succeeded, .refunded, .failed.
void DeclarePaymentEvents(events::EventTypeRegistry& registry);

/// /payments, /payments/{id} and its refund action; declares the payment.* event types. A payment
/// that went through a gateway is refunded there first, with `gateway_refund` (the integrations
/// module's); without one, such payments cannot be refunded.
void RegisterPaymentRoutes(http::RouteTable& routes, const GatewayRefund& gateway_refund = nullptr);

}  // namespace kiln::billing
