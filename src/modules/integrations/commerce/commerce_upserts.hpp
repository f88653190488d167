#pragma once

// How a store's products and orders become Kiln's own (DESIGN §6, CommerceSource): shared by the store sync job
// and the inbound webhook handler, so an object arriving either way ends up the same.

#include <cstdint>
#include <nlohmann/json.hpp>
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
    std::vector<SyncItemError> errors;
    /// The newest `updated_at` of the items looked at, as the store wrote it; empty when none was readable.
    std::string newest_updated_at;
    /// The oldest `updated_at` of an item that could not be applied: an incremental sync must start there again
    /// (an order whose product arrives later), however much newer the rest is.
    std::string oldest_failed_updated_at;
};

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

/// A REST-shaped Shopify product (a products/update webhook body: id, title, body_html, status, updated_at,
/// variants[{id, sku, price "19.99", title}]) with GraphQL-style gids ("gid://shopify/ProductVariant/<id>"), so
/// references agree with the GraphQL sync. An unreadable price becomes -1, which ApplyProducts reports.
CommerceProduct ProductFromRest(const nlohmann::json& product);

/// A REST-shaped Shopify order (an orders/create or orders/updated webhook body, or an item of orders.json).
/// An unreadable price or quantity becomes -1, which ApplyOrders reports.
CommerceOrder OrderFromRest(const nlohmann::json& order);

}  // namespace kiln::integrations
