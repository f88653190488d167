#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// A Shopify store's catalog and orders over the Admin API (https://{shop_domain}, or the integration's base_url),
/// authenticated with `X-Shopify-Access-Token` at the pinned `api_version`. Products come from GraphQL (the REST
/// product endpoints are deprecated), paced by the query-cost bucket; orders from REST with Link-header cursors,
/// paced by the leaky bucket. One object serves one sync: it remembers the last GraphQL throttle status.
class ShopifyStore final : public CommerceSource {
  public:
    explicit ShopifyStore(const ProviderClient& client) : client_(client) {}

    /// GraphQL `{ shop { name } products(first: 1) { nodes { id } } }`: the token and the read_products scope.
    void TestConnection() override;
    /// `cursor` is a GraphQL endCursor from an earlier page.
    CommercePage<CommerceProduct> Products(const std::optional<std::string>& cursor,
                                           const std::string& updated_since) override;
    /// `cursor` is a REST page_info from an earlier page; with it, `updated_since` is ignored (it is in the cursor).
    /// Each order is mapped by OrderFromRest, as a webhook's is: an unreadable price fails that order, not the page.
    CommercePage<CommerceOrder> Orders(const std::optional<std::string>& cursor,
                                       const std::string& updated_since) override;

  private:
    /// The cost bucket as the last GraphQL answer described it.
    struct ThrottleStatus {
        double requested_cost = 0;
        double currently_available = 0;
        double maximum_available = 0;
        double restore_rate = 0;
        std::chrono::steady_clock::time_point seen_at;
    };

    std::string AdminUrl(const std::string& path) const;
    egress::OutboundResponse Exchange(egress::OutboundRequest request) const;
    nlohmann::json GraphQl(const std::string& query, const nlohmann::json& variables);
    void RememberThrottle(const nlohmann::json& answer);
    void WaitForPoints() const;

    CommerceProduct ProductOf(const nlohmann::json& node) const;

    const ProviderClient& client_;
    std::optional<ThrottleStatus> throttle_;
};

}  // namespace kiln::integrations
