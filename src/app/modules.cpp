#include "app/modules.hpp"

#include "modules/access/access_module.hpp"
#include "modules/audit/audit_module.hpp"
#include "modules/billing/billing_module.hpp"
#include "modules/catalog/catalog_module.hpp"
#include "modules/customers/customers_module.hpp"
#include "modules/events/events_module.hpp"
#include "modules/health/health_module.hpp"
#include "modules/identity/identity_module.hpp"
#include "modules/integrations/integrations_module.hpp"
#include "modules/integrations/payment_gateway_routes.hpp"
#include "modules/ledger/ledger_module.hpp"
#include "modules/notifications/notifications_module.hpp"
#include "modules/observability/observability_module.hpp"
#include "modules/plugins/plugins_module.hpp"
#include "modules/sales/sales_module.hpp"
#include "modules/tenancy/tenancy_module.hpp"
#include "modules/webhooks/webhooks_module.hpp"
#include "modules/workflows/workflows_module.hpp"

namespace kiln::app {

namespace {

template <typename M, typename... Args>
void Add(ModuleList& list, Args&&... args) {
    list.push_back(std::make_unique<M>(std::forward<Args>(args)...));
}

}  // namespace

ModuleList BuiltInModules(const ModuleDependencies& d) {
    const ProcessSettings& s = d.settings;
    ModuleList list;
    Add<health::HealthModule>(list);
    Add<observability::ObservabilityModule>(list, s.server, s.observability, d.started);
    Add<access::AccessModule>(list, s.server, d.login_limiter, s.trusted_proxies);
    Add<tenancy::TenancyModule>(list);
    Add<identity::IdentityModule>(list, s.identity, d.login_limiter, s.trusted_proxies);
    Add<audit::AuditModule>(list, d.vault);
    Add<events::EventsModule>(list, d.dispatcher);
    Add<catalog::CatalogModule>(list);
    Add<customers::CustomersModule>(list);
    Add<sales::SalesModule>(list);
    Add<billing::BillingModule>(list, integrations::MakeGatewayRefund(d.integrations));
    Add<ledger::LedgerModule>(list);
    Add<workflows::WorkflowsModule>(list, d.outbound, d.workflow_actions, d.workflow_rules, d.workflow_runner);
    Add<notifications::NotificationsModule>(list);
    Add<webhooks::WebhooksModule>(list, d.webhooks);
    Add<integrations::IntegrationsModule>(list, d.integrations);
    Add<plugins::PluginsModule>(list, d.vault);
    return list;
}

}  // namespace kiln::app
