#pragma once

#include <string>

#include "modules/integrations/provider.hpp"

namespace kiln::integrations {

/// Shopify: a store's catalog and orders over the Admin API (ShopifyStore), synced by the store sync jobs and kept
/// current by webhooks signed with `X-Shopify-Hmac-Sha256`.
class ShopifyProvider final : public Provider {
  public:
    ShopifyProvider();
    /// One event per delivery, keyed by the hash of the signed body; its type is the topic header.
    std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const override;
    /// products/* and orders/* topics apply their object as the sync would.
    InboundOutcome ApplyInbound(const EventToApply& stored) const override;
};

/// A shop's own Admin API host (`<shop>.myshopify.com`), checked again where the URL is built.
bool IsShopifyShopDomain(const std::string& domain);

}  // namespace kiln::integrations
