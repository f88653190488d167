#include "modules/billing/billing_module.hpp"

#include "modules/billing/invoice_routes.hpp"

namespace kiln::billing {

void BillingModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareInvoiceEvents(registry);
    DeclarePaymentEvents(registry);
}

void BillingModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterInvoiceRoutes(routes);
    RegisterPaymentRoutes(routes, gateway_refund_);
}

}  // namespace kiln::billing
