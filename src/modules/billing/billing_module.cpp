#include "modules/billing/billing_module.hpp"

#include "modules/billing/credit_note_routes.hpp"
#include "modules/billing/credit_note_service.hpp"
#include "modules/billing/invoice_routes.hpp"

namespace kiln::billing {

void BillingModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareInvoiceEvents(registry);
    DeclarePaymentEvents(registry);
    CreditNoteService::DeclareEvents(registry);
}

void BillingModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterInvoiceRoutes(routes);
    RegisterPaymentRoutes(routes, gateway_refund_);
    RegisterCreditNoteRoutes(routes);
}

}  // namespace kiln::billing
