#pragma once

// Shopify's REST shapes as Kiln's commerce items: the one mapping of a REST product or order, used by the store
// sync (orders.json) and by the inbound webhooks (products/update, orders/create, orders/updated), so that an
// object arriving either way carries the same external references.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "modules/integrations/capabilities.hpp"

namespace kiln::integrations {

/// A Shopify money amount (a decimal string, "19.99") in cents; a JSON number, which is not Shopify's format,
/// converts through its shortest text. nullopt when it is neither or not exact in cents (DecimalToMinor).
std::optional<int64_t> MoneyToMinor(const nlohmann::json& amount);

/// A REST variant id (its digits) in the GraphQL form the sync keeps, "gid://shopify/ProductVariant/<id>"; a gid
/// stays as it is.
std::string VariantGid(const std::string& id);

/// A REST-shaped product (id, title, body_html, status, updated_at, variants[{id, sku, price "19.99", title}])
/// with GraphQL-style gids ("gid://shopify/Product/<id>", VariantGid), so references agree with the GraphQL sync.
/// An absent or unreadable price becomes -1, which ApplyProducts reports as an item error.
CommerceProduct ProductFromRest(const nlohmann::json& product);

/// A REST-shaped order (a webhook body or an item of orders.json), with the REST ids as text: ApplyOrders matches
/// lines by VariantGid of the variant id. The customer's email, else the order's. An absent or unreadable price or
/// quantity becomes -1, which ApplyOrders reports as an item error; an absent currency stays empty (ApplyOrders
/// then takes the integration's).
CommerceOrder OrderFromRest(const nlohmann::json& order);

}  // namespace kiln::integrations
