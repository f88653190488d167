#pragma once

// A local stand-in for the Shopify Admin API (provider-apis.md §6) for tests of Kiln's Shopify adapter. It
// checks every request the way Shopify does, answers with Shopify's own error shapes, and records a violation
// for each request the real shop would reject. Independent of Kiln's sources.
//
// Endpoints ({base_url()} = http://127.0.0.1:PORT stands for https://{shop}.myshopify.com):
//   POST {base}/admin/api/{version}/graphql.json   products query (GraphQL Admin API)
//   GET  {base}/admin/api/{version}/orders.json    orders list (legacy REST, cursor pagination)
//
// Checks, in order: path under /admin/api/ (404), X-Shopify-Access-Token (401), API version (404),
// resource/method (404), then per endpoint. Malformed input never crashes the fake: it gets a 4xx.
// Rate limiting (REST 429, GraphQL THROTTLED) is counted in rate_limited_count()/throttled_count(), not recorded
// as a violation: it is the provider's normal flow control, which tests provoke on purpose.
//
// GraphQL — what is honoured. The fake does not parse GraphQL selections. It answers any query whose text
// contains `products(` (and is not a mutation) with the fixed node shape below, whatever fields were selected:
//   {"data":{"products":{"pageInfo":{"hasNextPage","endCursor"},
//                        "nodes":[{"id","title","handle","status","updatedAt","description",
//                                  "variants":{"nodes":[{"id","sku","price","title"}]}}]}},
//    "extensions":{"cost":{...}}}
// All variants of a product are returned (a `variants(first:)` argument is ignored). Of the `products(...)`
// arguments only these are honoured, each either inline (`first: 50`, `after: "…"`, `query: "…"`) or as a
// variable reference (`first: $n` → variables.n); when the argument is absent from the text, variables.first /
// variables.after / variables.query are used:
//   first   Int, 1..250 (required; otherwise a GraphQL error)
//   after   cursor from a previous endCursor, or null
//   query   Shopify search syntax; only `updated_at:>'ISO'`, `updated_at:>=ISO` (also `<`, `<=`, quotes
//           optional) filter; every other term is ignored.
// `sortKey`/`reverse` are ignored: nodes are always sorted by updatedAt, then numeric id.
// Cost: each call costs first + 2 points from a bucket of SetThrottle(maximum, restore/s) (default 1000, 50/s).
//
// REST orders: filters status (open|closed|cancelled|any, default open: an order is open when it has no
// non-null closed_at/cancelled_at), since_id, created_at_min/max, updated_at_min/max, fields; limit 1..250
// (default 50). Orders are returned in ascending id order. Pagination: Link header
//   <{base}/admin/api/{v}/orders.json?limit=N&page_info=XYZ>; rel="previous", <…>; rel="next"
// (`&fields=…` is kept in the links when the request had it). A request with page_info may carry only
// page_info, limit and fields. Every REST response carries X-Shopify-Shop-Api-Call-Limit: used/size.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

struct FakeShopifyVariant {
    std::string gid;  // gid://shopify/ProductVariant/456
    std::string sku;
    std::string price;  // "19.99": a decimal string, as Shopify returns Money
    std::string title;
};

struct FakeShopifyProduct {
    std::string gid;  // gid://shopify/Product/123
    std::string title;
    std::string handle;
    std::string status;      // ACTIVE, DRAFT, ARCHIVED
    std::string updated_at;  // ISO 8601, e.g. 2025-01-02T03:04:05Z
    std::string description;
    std::vector<FakeShopifyVariant> variants;
};

/// base_url(), violations() (one entry per request the real Shopify would have rejected, saying why),
/// requests() and FailNext() (replies as is: no checks, no rate-limit accounting) come from FakeProviderBase.
class FakeShopify : public FakeProviderBase {
  public:
    using Product = FakeShopifyProduct;
    using Variant = FakeShopifyVariant;

    FakeShopify(std::string access_token, std::string api_version);
    ~FakeShopify() override;

    /// Throws std::invalid_argument when gid is not gid://shopify/Product/<digits> or updated_at is not ISO 8601.
    void AddProduct(Product product);
    /// A REST-shaped order (id int64, name, email, currency, created_at, updated_at, financial_status,
    /// total_price, customer{…}, line_items[…]). Throws std::invalid_argument without an integer id or with a
    /// non-ISO created_at/updated_at. Replaces an order with the same id.
    void AddOrder(nlohmann::json order);

    /// GraphQL cost bucket: `maximum` points, restored at `restore_per_second`; the bucket is refilled.
    void SetThrottle(double maximum, double restore_per_second);
    /// REST leaky bucket: `size` requests, leaking `leak_per_second`; the bucket is emptied.
    void SetRestBucket(int size, double leak_per_second);

    /// GraphQL calls answered THROTTLED.
    int throttled_count() const;
    /// REST calls answered 429.
    int rate_limited_count() const;

    /// base64(HMAC-SHA256(client_secret, body)): the X-Shopify-Hmac-Sha256 value of a webhook.
    static std::string WebhookHmac(const std::string& client_secret, const std::string& body);

  private:
    struct StoredProduct {
        Product product;
        int64_t id = 0;
        double updated = 0;
    };
    struct StoredOrder {
        nlohmann::json order;
        int64_t id = 0;
    };

    Reply Handle(const ReceivedRequest& request) override;
    Reply HandleGraphql(const ReceivedRequest& request, const std::string& label);
    Reply HandleOrders(const std::string& query, const std::string& label);
    Reply Reject(const std::string& violation, Reply reply);  // needs mutex_ held

    const std::string access_token_;
    const std::string api_version_;

    std::vector<StoredProduct> products_;
    std::vector<StoredOrder> orders_;

    double gql_maximum_ = 1000.0;
    double gql_restore_ = 50.0;
    double gql_available_ = 1000.0;
    std::chrono::steady_clock::time_point gql_updated_ = std::chrono::steady_clock::now();
    int throttled_ = 0;

    int rest_size_ = 40;
    double rest_leak_ = 2.0;
    double rest_used_ = 0.0;
    std::chrono::steady_clock::time_point rest_updated_ = std::chrono::steady_clock::now();
    int rate_limited_ = 0;
};

}  // namespace kiln::testing
