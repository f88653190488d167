#include "modules/ledger/ledger_module.hpp"

#include "modules/ledger/ledger_repository.hpp"
#include "modules/ledger/ledger_routes.hpp"

namespace kiln::ledger {

void LedgerModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareLedgerEvents(registry);
}

void LedgerModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterLedgerRoutes(routes);
}

}  // namespace kiln::ledger
