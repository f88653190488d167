#pragma once

#include <utility>

#include "modules/billing/payment_routes.hpp"
#include "modules/module.hpp"

namespace kiln::billing {

/// The billing module: invoices and payments; gateway refunds go through `gateway_refund` (the integrations' gateways).
class BillingModule final : public modules::Module {
  public:
    explicit BillingModule(GatewayRefund gateway_refund) : gateway_refund_(std::move(gateway_refund)) {}

    std::string_view name() const override { return "billing"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;

  private:
    GatewayRefund gateway_refund_;
};

}  // namespace kiln::billing
