#pragma once

#include "modules/module.hpp"

namespace kiln::ledger {

/// The ledger module: the double-entry books: chart of accounts, journal entries, periods.
class LedgerModule final : public modules::Module {
  public:
    std::string_view name() const override { return "ledger"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::ledger
