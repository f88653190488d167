#pragma once

#include "http/route.hpp"

namespace kiln::ledger {

/// /ledger/accounts, journal entries, the trial balance, account statements and accounting
/// periods; declares the journal_entry.* and accounting_period.* event types.
void RegisterLedgerRoutes(http::RouteTable& routes);

}  // namespace kiln::ledger
