#pragma once

// How a store's products and orders become Kiln's own (DESIGN §6, CommerceSource): shared by the store sync job
// and the inbound webhook handler, so an object arriving either way ends up the same.

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/integration.hpp"

namespace kiln::integrations {

/// An item that could not be applied, and why; the others still are.
struct SyncItemError {
    std::string item;  // the store's id of the item (a variant gid, an order id)
    std::string message;
};

/// What applying store items did. Calls add to it, so one value can follow a whole sync.
struct SyncCounts {
    int64_t items = 0;    // store items looked at (products, orders)
    int64_t created = 0;  // Kiln objects created (one product per variant; sales orders)
    int64_t updated = 0;  // Kiln objects changed; an item already up to date counts in neither
    int64_t stale = 0;    // items older than the version of them already applied: dropped, changing nothing
    std::vector<SyncItemError> errors;
    /// The newest `updated_at` of the items looked at, as the store wrote it; empty when none was readable.
    std::string newest_updated_at;
    /// The oldest `updated_at` of an item that could not be applied: an incremental sync must start there again
    /// (an order whose product arrives later), however much newer the rest is.
    std::string oldest_failed_updated_at;
};

/// Every item is applied only when it is not older than the newest version of it applied before (the store's own
/// `updated_at`, remembered per tenant, source, kind and store id): webhooks arrive unordered and may be replayed,
/// and an older body must not undo a newer one. An older item counts as `stale` and changes nothing.
///
/// Upserts one Kiln product per variant, found by its external reference (source = the integration's type, id =
/// the variant's gid): sku = the variant's sku (its gid when empty), name = product title, plus " - " and the
/// variant title unless that is "Default Title", unit price in the integration's `currency`. An existing product
/// gets a new name or price when the store's changed. Records product.created / product.updated in the caller's
/// transaction. A malformed variant, or a sku another product already holds, is an item error.
void ApplyProducts(const db::TenantScope& scope, const Integration& integration,
                   const std::vector<CommerceProduct>& products, SyncCounts& counts);

/// Upserts a draft sales order per store order, found by (source, external_ref = the order's id), for a customer
/// found by external reference or created from the order's email and name. Lines match products by variant
/// reference, else by sku; a line matching none (or priced in another currency) skips the whole order with an
/// item error. An existing order changes only while it is a draft (what the sales module lets anyone edit);
/// otherwise it is left as it is. Records customer.created, sales_order.created / sales_order.updated.
void ApplyOrders(const db::TenantScope& scope, const Integration& integration, const std::vector<CommerceOrder>& orders,
                 SyncCounts& counts);

}  // namespace kiln::integrations
