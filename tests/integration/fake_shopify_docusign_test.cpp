// Self-test of the Shopify and DocuSign fakes (tests/integration/fake_providers/): they must behave like the
// providers before they can judge Kiln's adapters. Does not start Kiln.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_providers/fake_docusign.hpp"
#include "fake_providers/fake_shopify.hpp"
#include "fake_providers/fake_util.hpp"
#include "kiln_process.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

const std::string kToken = "shpat_test_token";
const std::string kVersion = "2025-01";

// ---- helpers --------------------------------------------------------------------------------------------------

HeaderList ShopifyHeaders(const std::string& token = kToken) {
    return {{"X-Shopify-Access-Token", token}};
}

std::string OrdersUrl(const FakeShopify& shop, const std::string& query) {
    return shop.base_url() + "/admin/api/" + kVersion + "/orders.json" + (query.empty() ? "" : "?" + query);
}

std::string GraphqlUrl(const FakeShopify& shop) {
    return shop.base_url() + "/admin/api/" + kVersion + "/graphql.json";
}

/// rel → URL from a Link header, parsed as provider-apis.md §6 says.
std::map<std::string, std::string> ParseLink(const std::string& header) {
    std::map<std::string, std::string> links;
    static const std::regex kEntry(R"re(<([^<]+)>; rel="([^"]+)")re");
    for (auto it = std::sregex_iterator(header.begin(), header.end(), kEntry); it != std::sregex_iterator(); ++it)
        links[(*it)[2].str()] = (*it)[1].str();
    return links;
}

std::vector<int64_t> OrderIds(const HttpResponse& response) {
    std::vector<int64_t> ids;
    const json body = response.Json();
    for (const auto& order : body["orders"]) ids.push_back(order["id"].get<int64_t>());
    return ids;
}

json Order(int64_t id, const std::string& updated_at) {
    return {{"id", id},
            {"name", "#" + std::to_string(id)},
            {"email", "buyer@example.com"},
            {"currency", "USD"},
            {"created_at", "2025-01-01T00:00:00Z"},
            {"updated_at", updated_at},
            {"financial_status", "paid"},
            {"total_price", "25.00"},
            {"customer", {{"id", 7}, {"email", "buyer@example.com"}, {"first_name", "B"}, {"last_name", "Uyer"}}},
            {"line_items", json::array({{{"id", id * 10},
                                         {"sku", "SKU-1"},
                                         {"title", "Widget"},
                                         {"quantity", 2},
                                         {"price", "12.50"},
                                         {"product_id", 1},
                                         {"variant_id", 2}}})}};
}

FakeShopifyProduct Product(int id, const std::string& updated_at) {
    return {
        "gid://shopify/Product/" + std::to_string(id),
        "Product " + std::to_string(id),
        "product-" + std::to_string(id),
        "ACTIVE",
        updated_at,
        "Description " + std::to_string(id),
        {{"gid://shopify/ProductVariant/" + std::to_string(id * 10), "SKU-" + std::to_string(id), "19.99", "Default"}}};
}

HttpResponse Graphql(HttpClient& client, const FakeShopify& shop, const std::string& query, const json& variables) {
    return client.Post(GraphqlUrl(shop), json{{"query", query}, {"variables", variables}}, ShopifyHeaders());
}

const std::string kProductsQuery =
    "query Products($first: Int!, $after: String, $query: String) { products(first: $first, after: $after, "
    "query: $query, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { id title handle status "
    "updatedAt description variants(first: 100) { nodes { id sku price title } } } } }";

/// A minimal RS256 JWT signer, independent of the fake's verifier.
std::string SignJwt(const std::string& private_key_pem, const json& claims, const std::string& alg = "RS256") {
    const std::string signing_input = fakeutil::Base64UrlEncode(json{{"alg", alg}, {"typ", "JWT"}}.dump()) + "." +
                                      fakeutil::Base64UrlEncode(claims.dump());
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), BIO_free);
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        throw std::runtime_error("sign init failed");
    size_t length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, signing_input.size()) != 1)
        throw std::runtime_error("sign failed");
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       signing_input.size()) != 1)
        throw std::runtime_error("sign failed");
    signature.resize(length);
    return signing_input + "." + fakeutil::Base64UrlEncode(signature);
}

const std::string kIntegrationKey = "0a09f94b-1111-2222-3333-722da7e2846a";
const std::string kUserId = "3af994a5-4444-5555-6666-adf23dce0cd3";
const std::string kAccountId = "1978465f-7777-8888-9999-f03fa526107f";

const std::pair<std::string, std::string>& KeyPair() {
    static const auto pair = FakeDocuSign::GenerateRsaKeyPair();
    return pair;
}

json Claims(const FakeDocuSign& docusign) {
    const auto now = static_cast<int64_t>(fakeutil::NowSeconds());
    return {{"iss", kIntegrationKey},
            {"sub", kUserId},
            {"aud", docusign.oauth_audience()},
            {"iat", now},
            {"exp", now + 3600},
            {"scope", "signature impersonation"}};
}

HttpResponse RequestToken(HttpClient& client, const FakeDocuSign& docusign, const std::string& jwt) {
    return client.Post(
        docusign.base_url() + "/oauth/token",
        "grant_type=" + fakeutil::UriEncode("urn:ietf:params:oauth:grant-type:jwt-bearer", false) + "&assertion=" + jwt,
        {{"Content-Type", "application/x-www-form-urlencoded"}});
}

json Envelope() {
    return {{"emailSubject", "Please sign SO-1001"},
            {"status", "sent"},
            {"documents", json::array({{{"documentId", "1"},
                                        {"name", "SO-1001.pdf"},
                                        {"fileExtension", "pdf"},
                                        {"documentBase64", fakeutil::Base64Encode("%PDF-1.4 fake")}}})},
            {"recipients",
             {{"signers", json::array({{{"email", "c@x.com"},
                                        {"name", "C. Buyer"},
                                        {"recipientId", "1"},
                                        {"routingOrder", "1"},
                                        {"tabs",
                                         {{"signHereTabs", json::array({{{"documentId", "1"},
                                                                         {"pageNumber", "1"},
                                                                         {"xPosition", "100"},
                                                                         {"yPosition", "650"}}})}}}}})},
              {"carbonCopies",
               json::array(
                   {{{"email", "sales@ours.com"}, {"name", "Sales"}, {"recipientId", "2"}, {"routingOrder", "2"}}})}}}};
}

std::string EnvelopesUrl(const FakeDocuSign& docusign, const std::string& account = kAccountId) {
    return docusign.base_url() + "/restapi/v2.1/accounts/" + account + "/envelopes";
}

/// Sends raw bytes on a fresh connection and reads until the server closes or 1 s passes.
void SendRaw(int port, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[4096];
    (void)::recv(fd, buffer, sizeof buffer, 0);
    ::close(fd);
}

int PortOf(const std::string& base_url) {
    return std::stoi(base_url.substr(base_url.rfind(':') + 1));
}

// ---- Shopify REST -----------------------------------------------------------------------------------------------

TEST(FakeShopifyDocuSign, RestOrdersPaginateAcrossThreePagesWithLinkHeaders) {
    FakeShopify shop(kToken, kVersion);
    for (int64_t id = 1001; id <= 1007; ++id) shop.AddOrder(Order(id, "2025-02-01T00:00:00Z"));
    shop.AddOrder(Order(999, "2024-12-01T00:00:00Z"));  // before updated_at_min
    json closed = Order(1008, "2025-02-01T00:00:00Z");
    closed["closed_at"] = "2025-02-02T00:00:00Z";
    shop.AddOrder(closed);
    HttpClient client;

    auto page1 =
        client.Get(OrdersUrl(shop, "status=any&limit=3&updated_at_min=2025-01-01T00:00:00Z"), ShopifyHeaders());
    ASSERT_EQ(page1.status, 200) << page1.body;
    EXPECT_EQ(OrderIds(page1), (std::vector<int64_t>{1001, 1002, 1003}));
    EXPECT_EQ(page1.Header("X-Shopify-Shop-Api-Call-Limit"), "1/40");
    auto links = ParseLink(page1.Header("Link"));
    ASSERT_EQ(links.size(), 1u) << page1.Header("Link");
    const std::string next1 = links["next"];
    EXPECT_TRUE(next1.starts_with(OrdersUrl(shop, "limit=3&page_info="))) << next1;

    auto page2 = client.Get(next1, ShopifyHeaders());
    ASSERT_EQ(page2.status, 200) << page2.body;
    EXPECT_EQ(OrderIds(page2), (std::vector<int64_t>{1004, 1005, 1006}));
    links = ParseLink(page2.Header("Link"));
    ASSERT_TRUE(links.count("next") && links.count("previous")) << page2.Header("Link");
    EXPECT_TRUE(
        std::regex_search(page2.Header("Link"), std::regex(R"(^<[^>]+>; rel="previous", <[^>]+>; rel="next"$)")));

    auto back = client.Get(links["previous"], ShopifyHeaders());
    EXPECT_EQ(OrderIds(back), (std::vector<int64_t>{1001, 1002, 1003}));

    auto page3 = client.Get(links["next"], ShopifyHeaders());
    ASSERT_EQ(page3.status, 200) << page3.body;
    EXPECT_EQ(OrderIds(page3), (std::vector<int64_t>{1007, 1008}));  // closed 1008 is in: status=any was kept
    links = ParseLink(page3.Header("Link"));
    EXPECT_EQ(links.size(), 1u);
    EXPECT_TRUE(links.count("previous"));
    EXPECT_TRUE(shop.violations().empty());

    // Follow-ups may carry only page_info, limit and fields.
    auto refused = client.Get(next1 + "&status=any", ShopifyHeaders());
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(
        refused.Json()["errors"].get<std::string>().starts_with("status cannot be passed when page_info is present"))
        << refused.body;
    auto with_fields = client.Get(next1 + "&fields=id,name", ShopifyHeaders());
    ASSERT_EQ(with_fields.status, 200);
    EXPECT_EQ(with_fields.Json()["orders"][0], (json{{"id", 1004}, {"name", "#1004"}}));

    // Defaults: status=open (the closed order is left out), limit 50.
    auto open = client.Get(OrdersUrl(shop, ""), ShopifyHeaders());
    EXPECT_EQ(OrderIds(open).size(), 8u);
    EXPECT_EQ(open.Header("Link"), "");

    auto too_many = client.Get(OrdersUrl(shop, "status=any&limit=251"), ShopifyHeaders());
    EXPECT_EQ(too_many.status, 400);
    EXPECT_EQ(too_many.Json()["errors"]["limit"][0], "must be ≤ 250");
    EXPECT_FALSE(too_many.Header("X-Shopify-Shop-Api-Call-Limit").empty());
    EXPECT_EQ(shop.violations().size(), 2u);
}

TEST(FakeShopifyDocuSign, RestRejectsWrongTokenVersionAndPath) {
    FakeShopify shop(kToken, kVersion);
    HttpClient client;
    auto wrong = client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders("shpat_other"));
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.Json()["errors"], "[API] Invalid API key or access token (unrecognized login or wrong password)");
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any")).status, 401);
    EXPECT_EQ(client.Get(shop.base_url() + "/admin/api/2024-01/orders.json", ShopifyHeaders()).status, 404);
    EXPECT_EQ(client.Get(shop.base_url() + "/admin/api/2025-01/customers.json", ShopifyHeaders()).status, 404);
    EXPECT_EQ(shop.violations().size(), 4u);
}

TEST(FakeShopifyDocuSign, RestLeakyBucketAnswers429WhenFull) {
    FakeShopify shop(kToken, kVersion);
    shop.SetRestBucket(3, 0.01);
    HttpClient client;
    for (int i = 1; i <= 3; ++i) {
        auto ok = client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders());
        EXPECT_EQ(ok.status, 200);
        EXPECT_EQ(ok.Header("X-Shopify-Shop-Api-Call-Limit"), std::to_string(i) + "/3");
    }
    auto limited = client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders());
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.Header("Retry-After"), "1.0");
    EXPECT_EQ(limited.Header("X-Shopify-Shop-Api-Call-Limit"), "3/3");
    EXPECT_EQ(shop.rate_limited_count(), 1);
    EXPECT_TRUE(shop.violations().empty());

    shop.SetRestBucket(2, 50);  // fast leak: the bucket drains between calls
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders()).status, 200);
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
}

TEST(FakeShopifyDocuSign, RestIsThreadSafe) {
    FakeShopify shop(kToken, kVersion);
    shop.SetRestBucket(1000, 2);
    for (int64_t id = 1; id <= 20; ++id) shop.AddOrder(Order(id, "2025-02-01T00:00:00Z"));
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            HttpClient client;
            for (int i = 0; i < 10; ++i)
                if (client.Get(OrdersUrl(shop, "status=any&limit=5"), ShopifyHeaders()).status == 200) ++ok;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok, 40);
    EXPECT_EQ(shop.requests().size(), 40u);
}

// ---- Shopify GraphQL --------------------------------------------------------------------------------------------

TEST(FakeShopifyDocuSign, GraphqlCursorPagingAndUpdatedAtFilter) {
    FakeShopify shop(kToken, kVersion);
    shop.AddProduct(Product(5, "2025-01-05T00:00:00Z"));
    shop.AddProduct(Product(1, "2025-01-01T00:00:00Z"));
    shop.AddProduct(Product(4, "2025-01-03T00:00:00Z"));  // same updatedAt as 3: ordered by id
    shop.AddProduct(Product(3, "2025-01-03T00:00:00Z"));
    shop.AddProduct(Product(2, "2025-01-02T00:00:00Z"));
    HttpClient client;

    const std::string filter = "updated_at:>'2025-01-01T00:00:00Z'";
    auto r1 = Graphql(client, shop, kProductsQuery, {{"first", 2}, {"after", nullptr}, {"query", filter}});
    ASSERT_EQ(r1.status, 200) << r1.body;
    const json page1 = r1.Json();
    const json& products1 = page1["data"]["products"];
    ASSERT_EQ(products1["nodes"].size(), 2u) << r1.body;
    EXPECT_EQ(products1["nodes"][0]["id"], "gid://shopify/Product/2");
    EXPECT_EQ(products1["nodes"][1]["id"], "gid://shopify/Product/3");
    EXPECT_TRUE(products1["pageInfo"]["hasNextPage"].get<bool>());
    std::set<std::string> keys;
    for (const auto& [key, value] : products1["nodes"][0].items()) keys.insert(key);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "title", "handle", "status", "updatedAt", "description", "variants"}));
    EXPECT_EQ(
        products1["nodes"][0]["variants"]["nodes"][0],
        (json{{"id", "gid://shopify/ProductVariant/20"}, {"sku", "SKU-2"}, {"price", "19.99"}, {"title", "Default"}}));
    EXPECT_EQ(products1["nodes"][0]["updatedAt"], "2025-01-02T00:00:00Z");
    const json& cost = page1["extensions"]["cost"];
    EXPECT_EQ(cost["requestedQueryCost"], 4);
    EXPECT_EQ(cost["throttleStatus"]["maximumAvailable"], 1000.0);
    EXPECT_EQ(cost["throttleStatus"]["restoreRate"], 50.0);
    EXPECT_TRUE(fakeutil::Base64DecodeCanonical(products1["pageInfo"]["endCursor"].get<std::string>()).has_value());

    auto r2 = Graphql(client, shop, kProductsQuery,
                      {{"first", 2}, {"after", products1["pageInfo"]["endCursor"]}, {"query", filter}});
    const json products2 = r2.Json()["data"]["products"];
    ASSERT_EQ(products2["nodes"].size(), 2u) << r2.body;
    EXPECT_EQ(products2["nodes"][0]["id"], "gid://shopify/Product/4");
    EXPECT_EQ(products2["nodes"][1]["id"], "gid://shopify/Product/5");
    EXPECT_FALSE(products2["pageInfo"]["hasNextPage"].get<bool>());

    // `>=` without quotes, and inline literal arguments (as in provider-apis.md §6).
    auto r3 = Graphql(client, shop, kProductsQuery, {{"first", 10}, {"query", "updated_at:>=2025-01-03T00:00:00Z"}});
    EXPECT_EQ(r3.Json()["data"]["products"]["nodes"].size(), 3u);
    auto r4 = Graphql(client, shop,
                      "query($c:String){products(first:100,after:$c){pageInfo{hasNextPage endCursor} nodes{id title}}}",
                      {{"c", nullptr}});
    EXPECT_EQ(r4.Json()["data"]["products"]["nodes"].size(), 5u);
    EXPECT_EQ(r4.Json()["extensions"]["cost"]["requestedQueryCost"], 102);
    auto r5 = Graphql(client, shop,
                      "{ products(sortKey: UPDATED_AT, first: 10, query: \"updated_at:>'2025-01-03T00:00:00Z'\") "
                      "{ nodes { id } } }",
                      nullptr);
    ASSERT_EQ(r5.Json()["data"]["products"]["nodes"].size(), 1u) << r5.body;
    EXPECT_EQ(r5.Json()["data"]["products"]["nodes"][0]["id"], "gid://shopify/Product/5");
    EXPECT_TRUE(shop.violations().empty());
}

TEST(FakeShopifyDocuSign, GraphqlThrottlesAfterTheBucketEmpties) {
    FakeShopify shop(kToken, kVersion);
    shop.SetThrottle(100, 0.001);
    HttpClient client;
    for (int i = 0; i < 2; ++i)  // 42 points each: 100 → 58 → 16
        EXPECT_TRUE(Graphql(client, shop, kProductsQuery, {{"first", 40}}).Json().contains("data"));
    const json throttled = Graphql(client, shop, kProductsQuery, {{"first", 40}}).Json();
    ASSERT_TRUE(throttled.contains("errors")) << throttled.dump();
    EXPECT_EQ(throttled["errors"][0]["message"], "Throttled");
    EXPECT_EQ(throttled["errors"][0]["extensions"]["code"], "THROTTLED");
    EXPECT_EQ(throttled["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"], 16.0);
    EXPECT_EQ(shop.throttled_count(), 1);
    // A cheap query still fits.
    EXPECT_TRUE(Graphql(client, shop, kProductsQuery, {{"first", 10}}).Json().contains("data"));
    EXPECT_TRUE(shop.violations().empty());
}

TEST(FakeShopifyDocuSign, GraphqlRejectsMalformedRequests) {
    FakeShopify shop(kToken, kVersion);
    HttpClient client;
    auto headers = ShopifyHeaders();
    headers.emplace_back("Content-Type", "text/plain");
    EXPECT_EQ(client.Post(GraphqlUrl(shop), json{{"query", kProductsQuery}}.dump(), headers).status, 400);
    EXPECT_EQ(client.Post(GraphqlUrl(shop), json{{"variables", json::object()}}, ShopifyHeaders()).status, 400);
    EXPECT_EQ(client.Post(GraphqlUrl(shop), std::string("\xff\xfe{not json"), ShopifyHeaders()).status, 400);
    auto over = Graphql(client, shop, kProductsQuery, {{"first", 251}});
    EXPECT_EQ(over.status, 200);
    EXPECT_TRUE(over.Json().contains("errors"));
    EXPECT_TRUE(Graphql(client, shop, kProductsQuery, json::object()).Json().contains("errors"));
    EXPECT_TRUE(Graphql(client, shop, kProductsQuery, {{"first", "10"}}).Json().contains("errors"));
    EXPECT_TRUE(Graphql(client, shop, kProductsQuery, {{"first", 5}, {"after", "garbage!"}}).Json().contains("errors"));
    EXPECT_EQ(shop.violations().size(), 7u);
    for (const auto& v : shop.violations()) EXPECT_FALSE(v.empty());
}

// ---- DocuSign -------------------------------------------------------------------------------------------------

TEST(FakeShopifyDocuSign, JwtGrantAcceptedAndTokenOpensTheApi) {
    FakeDocuSign docusign(kIntegrationKey, kUserId, kAccountId, KeyPair().second);
    HttpClient client;
    auto token_response = RequestToken(client, docusign, SignJwt(KeyPair().first, Claims(docusign)));
    ASSERT_EQ(token_response.status, 200) << token_response.body;
    const json token = token_response.Json();
    EXPECT_EQ(token["token_type"], "Bearer");
    EXPECT_EQ(token["expires_in"], 3600);
    EXPECT_EQ(docusign.tokens_issued(), 1);
    const HeaderList bearer = {{"Authorization", "Bearer " + token["access_token"].get<std::string>()}};

    auto info = client.Get(docusign.base_url() + "/oauth/userinfo", bearer);
    ASSERT_EQ(info.status, 200);
    EXPECT_EQ(info.Json()["accounts"][0]["base_uri"], docusign.base_url());

    auto created = client.Post(EnvelopesUrl(docusign), Envelope(), bearer);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.Json()["envelopeId"];
    EXPECT_EQ(created.Json()["status"], "sent");
    EXPECT_EQ(created.Json()["uri"], "/envelopes/" + id);
    EXPECT_TRUE(fakeutil::ParseIso8601(created.Json()["statusDateTime"].get<std::string>()).has_value());
    EXPECT_EQ(docusign.envelopes().at(id), Envelope());

    auto status = client.Get(EnvelopesUrl(docusign) + "/" + id, bearer);
    ASSERT_EQ(status.status, 200);
    EXPECT_EQ(status.Json()["status"], "sent");
    EXPECT_EQ(status.Json()["emailSubject"], "Please sign SO-1001");
    docusign.SetEnvelopeStatus(id, "completed");
    status = client.Get(EnvelopesUrl(docusign) + "/" + id, bearer);
    EXPECT_EQ(status.Json()["status"], "completed");
    EXPECT_TRUE(status.Json().contains("completedDateTime"));
    EXPECT_TRUE(docusign.violations().empty()) << docusign.violations()[0];

    docusign.ExpireIssuedTokens();
    EXPECT_EQ(client.Get(EnvelopesUrl(docusign) + "/" + id, bearer).status, 401);
}

TEST(FakeShopifyDocuSign, JwtGrantRejectsWrongAudienceExpiryAndSignature) {
    FakeDocuSign docusign(kIntegrationKey, kUserId, kAccountId, KeyPair().second);
    HttpClient client;
    json wrong_aud = Claims(docusign);
    wrong_aud["aud"] = "account-d.docusign.com";
    json expired = Claims(docusign);
    expired["iat"] = expired["iat"].get<int64_t>() - 7200;
    expired["exp"] = expired["exp"].get<int64_t>() - 7200;
    json long_lived = Claims(docusign);
    long_lived["exp"] = long_lived["iat"].get<int64_t>() + 7200;
    json no_impersonation = Claims(docusign);
    no_impersonation["scope"] = "signature";
    const auto other_key = FakeDocuSign::GenerateRsaKeyPair();

    const std::vector<std::string> assertions = {
        SignJwt(KeyPair().first, wrong_aud),
        SignJwt(KeyPair().first, expired),
        SignJwt(other_key.first, Claims(docusign)),
        SignJwt(KeyPair().first, long_lived),
        SignJwt(KeyPair().first, no_impersonation),
        SignJwt(KeyPair().first, Claims(docusign), "HS256"),
        "not.a.jwt",
        "e30.e30.e30",
        "",
    };
    for (const auto& jwt : assertions) {
        auto response = RequestToken(client, docusign, jwt);
        EXPECT_EQ(response.status, 400) << jwt;
        EXPECT_TRUE(response.Json().contains("error")) << response.body;
    }
    auto bad_signature = RequestToken(client, docusign, SignJwt(other_key.first, Claims(docusign)));
    EXPECT_EQ(bad_signature.Json()["error"], "invalid_grant");
    EXPECT_EQ(bad_signature.Json()["error_description"], "no_valid_keys_or_signatures");
    EXPECT_EQ(RequestToken(client, docusign, SignJwt(KeyPair().first, wrong_aud)).Json()["error"], "invalid_grant");
    EXPECT_EQ(docusign.tokens_issued(), 0);
    EXPECT_EQ(docusign.violations().size(), assertions.size() + 2);
}

TEST(FakeShopifyDocuSign, EnvelopeChecksLikeDocuSign) {
    FakeDocuSign docusign(kIntegrationKey, kUserId, kAccountId, KeyPair().second);
    docusign.AllowStaticToken("static-token");
    const HeaderList bearer = {{"Authorization", "Bearer static-token"}};
    HttpClient client;

    json numeric = Envelope();
    numeric["recipients"]["signers"][0]["recipientId"] = 1;
    auto rejected = client.Post(EnvelopesUrl(docusign), numeric, bearer);
    EXPECT_EQ(rejected.status, 400);
    EXPECT_EQ(rejected.Json()["errorCode"], "INVALID_REQUEST_BODY");

    json numeric_order = Envelope();
    numeric_order["recipients"]["carbonCopies"][0]["routingOrder"] = 2;
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), numeric_order, bearer).Json()["errorCode"], "INVALID_REQUEST_BODY");
    json bad_base64 = Envelope();
    bad_base64["documents"][0]["documentBase64"] = "not base64!";
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), bad_base64, bearer).status, 400);
    json no_subject = Envelope();
    no_subject.erase("emailSubject");
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), no_subject, bearer).status, 400);
    json bad_status = Envelope();
    bad_status["status"] = "completed";
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), bad_status, bearer).status, 400);
    json missing_doc = Envelope();
    missing_doc["recipients"]["signers"][0]["tabs"]["signHereTabs"][0]["documentId"] = "9";
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), missing_doc, bearer).Json()["errorCode"],
              "TAB_REFERS_TO_MISSING_DOCUMENT");
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), json{{"documents", "x"}, {"emailSubject", 5}}, bearer).status, 400);

    auto wrong_account =
        client.Post(EnvelopesUrl(docusign, "00000000-0000-0000-0000-000000000000"), Envelope(), bearer);
    EXPECT_EQ(wrong_account.status, 400);
    EXPECT_EQ(wrong_account.Json()["errorCode"], "ACCOUNT_LACKS_PERMISSIONS");
    auto unauthorized = client.Post(EnvelopesUrl(docusign), Envelope(), {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(unauthorized.status, 401);
    EXPECT_EQ(unauthorized.Json()["errorCode"], "AUTHORIZATION_INVALID_TOKEN");
    EXPECT_EQ(client.Get(EnvelopesUrl(docusign) + "/no-such-envelope", bearer).Json()["errorCode"],
              "ENVELOPE_DOES_NOT_EXIST");
    EXPECT_TRUE(docusign.envelopes().empty());
    EXPECT_EQ(docusign.violations().size(), 10u);

    json draft = Envelope();
    draft["status"] = "created";
    auto created = client.Post(EnvelopesUrl(docusign), draft, bearer);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json()["status"], "created");
}

// ---- shared -----------------------------------------------------------------------------------------------------

TEST(FakeShopifyDocuSign, AppendixAVectors) {
    EXPECT_EQ(FakeShopify::WebhookHmac("test_client_secret", R"({"id":820982911946154508})"),
              "2WxsNdxGjFdyKbRGIdk6ZI2H/pCEQg6Tm95USZl6874=");
    EXPECT_EQ(FakeDocuSign::ConnectSignature("test_connect_key", R"({"event":"envelope-completed"})"),
              "WkrxwrqqXvHHwBZKgcPOBFsJZa76eSXA9uFGBWoO1A0=");
    // Stripe and Razorpay vectors exercise the same HMAC helper with hex output.
    EXPECT_EQ(fakeutil::HexEncode(
                  fakeutil::HmacSha256("test_webhook_secret", R"({"entity":"event","event":"payment.captured"})")),
              "a438afc6ce7006ee9db518386b03fa11af0ca64eee8a8978885697e4065e9581");
}

TEST(FakeShopifyDocuSign, EncodingHelpers) {
    using namespace fakeutil;
    EXPECT_EQ(Base64Encode("f"), "Zg==");
    EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
    EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
    EXPECT_FALSE(Base64Decode("Zm9vYg").has_value());
    EXPECT_EQ(Base64DecodeCanonical("Zm9vYg=="), "foob");
    EXPECT_FALSE(Base64DecodeCanonical("Zm9vYh==").has_value());  // non-canonical trailing bits
    EXPECT_FALSE(Base64DecodeCanonical("Zm9v\r\nYg==").has_value());
    EXPECT_EQ(Base64DecodeCanonical("Zm9v\r\nYg==", true), "foob");
    EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
    EXPECT_EQ(Base64UrlDecode("-_8"), "\xfb\xff");
    EXPECT_FALSE(Base64UrlDecode("-_8=").has_value());
    EXPECT_FALSE(Base64UrlDecode("+/8").has_value());
    EXPECT_EQ(ParseIso8601("2025-01-01T00:00:00Z"), 1735689600.0);
    EXPECT_EQ(ParseIso8601("2025-01-01T02:00:00+02:00"), 1735689600.0);
    EXPECT_EQ(ParseIso8601("2025-01-01"), 1735689600.0);
    EXPECT_FALSE(ParseIso8601("2025-13-01T00:00:00Z").has_value());
    EXPECT_FALSE(ParseIso8601("2025-01-01T00:00:00").has_value());
    EXPECT_EQ(FormatIso8601(1735689600.5, 7), "2025-01-01T00:00:00.5000000Z");
    EXPECT_EQ(PercentDecode("a%2Bb+c", true), "a+b c");
    EXPECT_FALSE(PercentDecode("%4", true).has_value());
    EXPECT_TRUE(ParseJson("[[1]]", 2).has_value());
    EXPECT_FALSE(ParseJson("[[1]]", 1).has_value());        // nested deeper than allowed
    EXPECT_TRUE(ParseJson(R"(["[[\"["])", 1).has_value());  // brackets inside strings do not count
    EXPECT_TRUE(ParseJson("[[1]]").has_value());            // no limit unless asked
    EXPECT_TRUE(
        std::regex_match(Uuid4(), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST(FakeShopifyDocuSign, FailNextAndGarbageInput) {
    FakeShopify shop(kToken, kVersion);
    FakeDocuSign docusign(kIntegrationKey, kUserId, kAccountId, KeyPair().second);
    HttpClient client;
    shop.FailNext(2, Reply{503, R"({"errors":"Service Unavailable"})", {{"Retry-After", "2"}}});
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders()).status, 503);
    auto second = client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders("wrong"));
    EXPECT_EQ(second.status, 503);
    EXPECT_EQ(second.Header("Retry-After"), "2");
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders()).status, 200);
    docusign.FailNext(1, Reply{500, "oops", {}});
    EXPECT_EQ(RequestToken(client, docusign, "x").status, 500);
    EXPECT_TRUE(shop.violations().empty());
    EXPECT_TRUE(docusign.violations().empty());

    // Garbage on the wire and in bodies: answered, never a crash.
    for (const auto& base : {shop.base_url(), docusign.base_url()}) {
        SendRaw(PortOf(base), "\x01\x02\x03 garbage\r\n\r\n");
        SendRaw(PortOf(base), "GET\r\n\r\n");
        SendRaw(PortOf(base), "POST /oauth/token HTTP/1.1\r\nContent-Length: 3\r\n\r\n%zz");
    }
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any&limit=%zz"), ShopifyHeaders()).status, 400);
    EXPECT_EQ(client.Get(OrdersUrl(shop, "page_info=%00%ff&limit=5"), ShopifyHeaders()).status, 400);
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any&updated_at_min=yesterday"), ShopifyHeaders()).status, 400);
    EXPECT_EQ(client.Post(GraphqlUrl(shop), json{{"query", "{ products( "}}, ShopifyHeaders()).status, 200);
    EXPECT_EQ(client.Post(GraphqlUrl(shop), json{{"query", 5}}, ShopifyHeaders()).status, 400);
    EXPECT_EQ(client
                  .Post(docusign.base_url() + "/oauth/token", std::string("grant_type=%%%&assertion"),
                        {{"Content-Type", "application/x-www-form-urlencoded"}})
                  .status,
              400);
    docusign.AllowStaticToken("t");
    const HeaderList bearer = {{"Authorization", "Bearer t"}};
    for (const std::string body : {"[]", "null", "\"x\"", "{\"emailSubject\":\"s\",\"documents\":[null]}",
                                   "{\"emailSubject\":\"s\",\"documents\":[{\"documentId\":\"1\",\"name\":\"n\","
                                   "\"documentBase64\":\"eA==\"}],\"recipients\":{\"signers\":[{\"email\":\"a@b\","
                                   "\"name\":\"n\",\"recipientId\":\"1\",\"routingOrder\":\"1\",\"tabs\":[1]}]}}"})
        EXPECT_EQ(client.Post(EnvelopesUrl(docusign), body, bearer).status, 400) << body;
    EXPECT_EQ(client.Get(docusign.base_url() + "/restapi/v2.1/accounts/", bearer).status, 400);
    const std::string deep(200000, '[');
    EXPECT_EQ(client.Post(GraphqlUrl(shop), deep, ShopifyHeaders()).status, 400);
    EXPECT_EQ(client.Post(EnvelopesUrl(docusign), deep, bearer).status, 400);
    EXPECT_EQ(client
                  .Post(GraphqlUrl(shop),
                        json{{"query", "{ products(first: 1) }"},
                             {"variables", {{"x", json::parse("[" + std::string(90, '[') + std::string(91, ']'))}}}},
                        ShopifyHeaders())
                  .status,
              200);
    const std::string huge = std::string(500000, ' ') + "products(first: 5, query: \"" + std::string(500000, 'u') +
                             "updated_at:>" + std::string(300000, '9') + "\")";
    EXPECT_EQ(client.Post(GraphqlUrl(shop), json{{"query", huge}}, ShopifyHeaders()).status, 200);
    EXPECT_EQ(
        client.Post(GraphqlUrl(shop), json{{"query", "products(first: $" + std::string(300000, '(')}}, ShopifyHeaders())
            .status,
        200);
    EXPECT_EQ(client.Get(OrdersUrl(shop, "status=any"), ShopifyHeaders()).status, 200);  // still serving
    EXPECT_EQ(RequestToken(client, docusign, "x").status, 400);
}

}  // namespace
}  // namespace kiln::testing
