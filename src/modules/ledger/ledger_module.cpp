#include "modules/ledger/ledger_module.hpp"

#include "modules/ledger/ledger_routes.hpp"
#include "modules/ledger/ledger_service.hpp"

namespace kiln::ledger {

void LedgerModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    LedgerService::DeclareEvents(registry);
}

void LedgerModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterLedgerRoutes(routes);
}

}  // namespace kiln::ledger
