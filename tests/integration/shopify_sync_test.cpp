// Shopify store syncs through the real binary against FakeShopify: products (GraphQL, cursor pages, cost
// throttling) and orders (REST, Link-header pages, leaky bucket) become Kiln products, customers and sales orders,
// idempotently by external reference and incrementally by update time; progress is saved page by page, so a
// sync interrupted by a store outage resumes at its cursor; the store's refusals fail the sync with the reason.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "fake_providers/fake_shopify.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const std::string kToken = "shpat_sync_test_token_0123456789";
const std::string kVersion = "2025-01";

/// "2025-01-01T00:00:00Z" plus `seconds` (under a day).
std::string At(int seconds, const std::string& day = "2025-01-01") {
    char text[32];
    std::snprintf(text, sizeof text, "%sT%02d:%02d:%02dZ", day.c_str(), seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
    return text;
}

class ShopifySync : public ApiTest {
  protected:
    void SetUp() override {
        // Every test has its own ids and SKUs: they share a tenant, where references and SKUs are unique.
        static int next = 0;
        base_ = static_cast<int64_t>(::getpid() % 1000) * 1'000'000 + static_cast<int64_t>(++next) * 10'000;
        prefix_ = "SHS" + std::to_string(base_) + "-";
    }

    std::string Sku(int i) const { return prefix_ + std::to_string(i); }
    std::string VariantGid(int i) const { return "gid://shopify/ProductVariant/" + std::to_string(base_ + i); }

    /// Product i: one variant, sku prefix_ + i, price 10.00 + i cents, updated i seconds after midnight.
    FakeShopifyProduct StoreProduct(int i, const std::string& updated_at = "") const {
        const std::string id = std::to_string(base_ + i);
        const int cents = 1000 + i;
        return {"gid://shopify/Product/" + id,
                "Product " + std::to_string(i),
                "product-" + id,
                "ACTIVE",
                updated_at.empty() ? At(i) : updated_at,
                "",
                {{VariantGid(i), Sku(i),
                  std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100),
                  "Default Title"}}};
    }

    /// Order i of customer (i % 3), one line of `sku` × (1 + i % 4) at 12.50.
    json StoreOrder(int i, const std::string& sku, const std::string& updated_at = "") const {
        const int64_t customer = base_ + 500 + i % 3;
        return {{"id", base_ + i},
                {"name", "#" + std::to_string(1000 + i)},
                {"email", "buyer" + std::to_string(customer) + "@shop.test"},
                {"currency", "USD"},
                {"created_at", At(i)},
                {"updated_at", updated_at.empty() ? At(i) : updated_at},
                {"financial_status", "paid"},
                {"total_price", "12.50"},
                {"customer",
                 {{"id", customer},
                  {"email", "buyer" + std::to_string(customer) + "@shop.test"},
                  {"first_name", "Buyer"},
                  {"last_name", std::to_string(customer)}}},
                {"line_items", json::array({{{"id", (base_ + i) * 10},
                                             {"sku", sku},
                                             {"title", "Line of " + sku},
                                             {"quantity", 1 + i % 4},
                                             {"price", "12.50"},
                                             {"product_id", base_ + 9000},
                                             {"variant_id", base_ + 9001}}})}};
    }

    std::string Connect(const FakeShopify& shop, const std::string& token = kToken) {
        const auto response = http_.Post(Url("/integrations"),
                                         json{{"type", "shopify"},
                                              {"name", "Store " + prefix_},
                                              {"config",
                                               {{"shop_domain", "test-shop.myshopify.com"},
                                                {"access_token", token},
                                                {"api_version", kVersion},
                                                {"currency", "USD"}}}},
                                         As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        const std::string id = response.Json().value("id", "");
        if (!id.empty()) PointAt(id, shop.base_url());
        return id;
    }

    json Start(const std::string& kind, const std::string& integration, bool full = false) {
        const auto response = http_.Post(Url("/integrations/shopify/sync-" + kind),
                                         json{{"integration_id", integration}, {"full", full}}, As(a_owner_));
        EXPECT_EQ(response.status, 202) << response.body;
        return response.Json();
    }

    json Progress(const std::string& integration, const std::string& sync) {
        return http_.Get(Url("/integrations/" + integration + "/syncs/" + sync), As(a_owner_)).Json();
    }

    /// Waits for the sync to finish and returns it as GET shows it.
    json Finished(const std::string& integration, const std::string& sync) {
        json shown;
        EXPECT_TRUE(Eventually(
            [&] {
                shown = Progress(integration, sync);
                return shown.value("state", "") == "succeeded" || shown.value("state", "") == "failed";
            },
            60s))
            << shown.dump();
        return shown;
    }

    json Sync(const std::string& kind, const std::string& integration, bool full = false) {
        return Finished(integration, Start(kind, integration, full).value("id", ""));
    }

    /// Every item of a list route, following next_cursor.
    json All(const std::string& path) {
        json items = json::array();
        std::string cursor;
        do {
            const std::string sep = path.find('?') == std::string::npos ? "?" : "&";
            const json page =
                http_.Get(Url(path + sep + "limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor)), As(a_owner_))
                    .Json();
            for (const auto& item : page["data"]) items.push_back(item);
            cursor = page.value("next_cursor", json()).is_string() ? page["next_cursor"].get<std::string>() : "";
        } while (!cursor.empty());
        return items;
    }

    json ProductBySku(const std::string& sku) {
        const json found = http_.Get(Url("/products?sku=" + sku), As(a_owner_)).Json()["data"];
        EXPECT_EQ(found.size(), 1u) << sku;
        return found.empty() ? json() : found[0];
    }

    /// Sales orders this test's store made, by the store's order id.
    std::map<int64_t, json> StoreOrders() {
        std::map<int64_t, json> orders;
        for (const auto& order : All("/sales-orders")) {
            if (order["source"] != "shopify" || !order["external_ref"].is_string()) continue;
            const int64_t id = std::stoll(order["external_ref"].get<std::string>());
            if (id >= base_ && id < base_ + 10'000) orders[id] = order;
        }
        return orders;
    }

    /// The GraphQL variables of every products query the store received, in order.
    static std::vector<json> ProductQueries(const FakeShopify& shop) {
        std::vector<json> variables;
        for (const auto& request : shop.requests())
            if (request.target.find("/graphql.json") != std::string::npos)
                variables.push_back(json::parse(request.body).value("variables", json::object()));
        return variables;
    }

    static std::vector<std::string> OrderTargets(const FakeShopify& shop) {
        std::vector<std::string> targets;
        for (const auto& request : shop.requests())
            if (request.target.find("/orders.json") != std::string::npos) targets.push_back(request.target);
        return targets;
    }

    int64_t base_ = 0;
    std::string prefix_;
};

TEST_F(ShopifySync, ProductsArriveAcrossPagesOnceAndThenOnlyWhatChanged) {
    FakeShopify shop(kToken, kVersion);
    for (int i = 0; i < 120; ++i) shop.AddProduct(StoreProduct(i));
    // Product 0 has two variants, product 1 a variant without a sku.
    auto two = StoreProduct(0);
    two.variants = {{VariantGid(0), Sku(0), "5.00", "Small"}, {VariantGid(9999), Sku(9999), "7.25", "Large"}};
    shop.AddProduct(two);
    auto no_sku = StoreProduct(1);
    no_sku.variants[0].sku = "";
    shop.AddProduct(no_sku);
    const std::string integration = Connect(shop);

    const json started = Start("products", integration);
    EXPECT_EQ(started["state"], "queued");
    EXPECT_EQ(started["kind"], "products");
    EXPECT_EQ(started["integration_id"], integration);
    EXPECT_TRUE(started["since"].is_null());
    const json first = Finished(integration, started["id"]);
    EXPECT_EQ(first["state"], "succeeded") << first.dump();
    EXPECT_EQ(first["pages"], 3);
    EXPECT_EQ(first["items"], 120);
    EXPECT_EQ(first["created"], 121);
    EXPECT_EQ(first["updated"], 0);
    EXPECT_EQ(first["errors"], json::array());
    EXPECT_TRUE(first["error"].is_null());
    EXPECT_TRUE(first["started_at"].is_string());
    EXPECT_TRUE(first["finished_at"].is_string());

    // Three GraphQL pages of 50, each after the previous page's cursor, the whole catalog (no filter).
    const auto queries = ProductQueries(shop);
    ASSERT_EQ(queries.size(), 3u);
    EXPECT_TRUE(queries[0]["after"].is_null());
    for (const auto& variables : queries) {
        EXPECT_EQ(variables["first"], 50);
        EXPECT_TRUE(variables["query"].is_null()) << variables.dump();
    }
    EXPECT_TRUE(queries[1]["after"].is_string());
    EXPECT_NE(queries[1]["after"], queries[2]["after"]);

    const json widget = ProductBySku(Sku(42));
    EXPECT_EQ(widget["name"], "Product 42");
    EXPECT_EQ(widget["unit_price"], 1042);
    EXPECT_EQ(widget["currency"], "USD");
    EXPECT_EQ(widget["external_refs"], json::array({{{"source", "shopify"}, {"external_id", VariantGid(42)}}}));
    EXPECT_EQ(ProductBySku(Sku(0))["name"], "Product 0 - Small");
    EXPECT_EQ(ProductBySku(Sku(0))["unit_price"], 500);
    EXPECT_EQ(ProductBySku(Sku(9999))["name"], "Product 0 - Large");
    EXPECT_EQ(ProductBySku(VariantGid(1))["name"], "Product 1");  // no sku: the variant's id stands in
    EXPECT_EQ(All("/products?q=" + prefix_).size(), 120u);

    // The same catalog again, in full: nothing new, nothing changed, nothing doubled.
    const json again = Sync("products", integration, true);
    EXPECT_EQ(again["state"], "succeeded") << again.dump();
    EXPECT_TRUE(again["since"].is_null());
    EXPECT_EQ(again["items"], 120);
    EXPECT_EQ(again["created"], 0);
    EXPECT_EQ(again["updated"], 0);
    EXPECT_EQ(All("/products?q=" + prefix_).size(), 120u);

    // A change in the store after that: the next sync asks only for what changed since the newest item seen.
    auto renamed = StoreProduct(5, "2025-02-01T00:00:00Z");
    renamed.title = "Product 5 renamed";
    renamed.variants[0].price = "24.50";
    shop.AddProduct(renamed);
    const size_t asked_before = ProductQueries(shop).size();
    const json incremental = Sync("products", integration);
    EXPECT_EQ(incremental["state"], "succeeded") << incremental.dump();
    EXPECT_EQ(incremental["since"], At(119));
    EXPECT_EQ(incremental["pages"], 1);
    EXPECT_EQ(incremental["created"], 0);
    EXPECT_EQ(incremental["updated"], 1);
    EXPECT_LE(incremental["items"].get<int>(), 2);  // the change, and the newest item seen before (>= is inclusive)
    const auto later = ProductQueries(shop);
    ASSERT_EQ(later.size(), asked_before + 1);
    EXPECT_EQ(later.back()["query"], "updated_at:>='" + At(119) + "'");
    const json changed = ProductBySku(Sku(5));
    EXPECT_EQ(changed["name"], "Product 5 renamed");
    EXPECT_EQ(changed["unit_price"], 2450);
    EXPECT_EQ(All("/products?q=" + prefix_).size(), 120u);

    // Synced changes are events like any other, so webhooks and workflows see them.
    bool seen = false;
    const json events = http_.Get(Url("/events?type=product.updated&limit=20"), As(a_owner_)).Json();
    SCOPED_TRACE(events.dump().substr(0, 2000));
    for (const auto& event : events["data"])
        seen = seen || (event["data"]["product"]["id"] == changed["id"] &&
                        event["data"]["changes"]["unit_price"]["to"] == 2450);
    EXPECT_TRUE(seen);

    // The position moved on to the change: the next incremental sync starts there.
    const json quiet = Sync("products", integration);
    EXPECT_EQ(quiet["since"], "2025-02-01T00:00:00Z");
    EXPECT_EQ(quiet["items"], 1);
    EXPECT_EQ(quiet["updated"], 0);
    EXPECT_TRUE(shop.violations().empty()) << shop.violations().front();
}

TEST_F(ShopifySync, OrdersAcrossRestPagesBecomeSalesOrdersOfTheirCustomers) {
    FakeShopify shop(kToken, kVersion);
    for (int i = 0; i < 3; ++i) shop.AddProduct(StoreProduct(i));
    for (int i = 0; i < 130; ++i) shop.AddOrder(StoreOrder(i, Sku(i % 3)));
    shop.AddOrder(StoreOrder(130, "NO-SUCH-SKU"));
    const std::string integration = Connect(shop);
    ASSERT_EQ(Sync("products", integration)["created"], 3);

    const json synced = Sync("orders", integration);
    EXPECT_EQ(synced["state"], "succeeded") << synced.dump();
    EXPECT_EQ(synced["pages"], 2);
    EXPECT_EQ(synced["items"], 131);
    EXPECT_EQ(synced["created"], 130);
    ASSERT_EQ(synced["errors"].size(), 1u) << synced.dump();
    EXPECT_EQ(synced["errors"][0]["item"], std::to_string(base_ + 130));
    EXPECT_NE(synced["errors"][0]["message"].get<std::string>().find("NO-SUCH-SKU"), std::string::npos);

    // Two pages: the second follows the Link header's page_info with nothing else but the limit.
    const auto targets = OrderTargets(shop);
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_NE(targets[0].find("status=any"), std::string::npos);
    EXPECT_NE(targets[1].find("page_info="), std::string::npos);
    EXPECT_EQ(targets[1].find("status="), std::string::npos);

    auto orders = StoreOrders();
    ASSERT_EQ(orders.size(), 130u);
    EXPECT_FALSE(orders.contains(base_ + 130));  // the order with the unknown sku was skipped whole
    const json order =
        http_.Get(Url("/sales-orders/" + orders[base_ + 7]["id"].get<std::string>()), As(a_owner_)).Json();
    EXPECT_EQ(order["status"], "draft");
    EXPECT_EQ(order["currency"], "USD");
    ASSERT_EQ(order["lines"].size(), 1u);
    EXPECT_EQ(order["lines"][0]["product_id"], ProductBySku(Sku(1))["id"]);
    EXPECT_EQ(order["lines"][0]["quantity"], 4);
    EXPECT_EQ(order["lines"][0]["unit_price"], 1250);
    EXPECT_EQ(order["total"], 5000);
    const json customer = http_.Get(Url("/customers/" + order["customer_id"].get<std::string>()), As(a_owner_)).Json();
    const int64_t customer_ref = base_ + 500 + 7 % 3;
    EXPECT_EQ(customer["email"], "buyer" + std::to_string(customer_ref) + "@shop.test");
    EXPECT_EQ(customer["name"], "Buyer " + std::to_string(customer_ref));
    EXPECT_EQ(customer["external_refs"],
              json::array({{{"source", "shopify"}, {"external_id", std::to_string(customer_ref)}}}));
    std::set<std::string> customers;
    for (const auto& [id, o] : orders) customers.insert(o["customer_id"]);
    EXPECT_EQ(customers.size(), 3u);  // one Kiln customer per store customer, however many orders

    // Again in full: nothing doubles.
    const json again = Sync("orders", integration, true);
    EXPECT_EQ(again["created"], 0);
    EXPECT_EQ(again["updated"], 0);
    EXPECT_EQ(StoreOrders().size(), 130u);

    // A confirmed order is not touched by a later change in the store; a draft is.
    const std::string confirmed = orders[base_ + 10]["id"];
    ASSERT_EQ(http_.Post(Url("/sales-orders/" + confirmed + "/confirm"), "", As(a_owner_)).status, 200);
    auto bigger = [&](int i) {
        json changed = StoreOrder(i, Sku(i % 3), "2025-03-01T00:00:00Z");
        changed["line_items"][0]["quantity"] = 9;
        shop.AddOrder(changed);
    };
    bigger(10);
    bigger(11);
    const json incremental = Sync("orders", integration);
    EXPECT_EQ(incremental["state"], "succeeded") << incremental.dump();
    EXPECT_EQ(incremental["since"], At(130));
    EXPECT_EQ(incremental["updated"], 1);
    EXPECT_EQ(incremental["created"], 0);
    EXPECT_NE(OrderTargets(shop).back().find("updated_at_min="), std::string::npos);
    const json kept = http_.Get(Url("/sales-orders/" + confirmed), As(a_owner_)).Json();
    EXPECT_EQ(kept["status"], "confirmed");
    EXPECT_EQ(kept["lines"][0]["quantity"], 1 + 10 % 4);
    const json redone =
        http_.Get(Url("/sales-orders/" + orders[base_ + 11]["id"].get<std::string>()), As(a_owner_)).Json();
    EXPECT_EQ(redone["lines"][0]["quantity"], 9);
    EXPECT_EQ(redone["total"], 9 * 1250);
    EXPECT_TRUE(shop.violations().empty()) << shop.violations().front();
}

TEST_F(ShopifySync, ThrottlingRateLimitsAndAnOutageAreSurvivedAndTheSyncResumesAtItsCursor) {
    FakeShopify shop(kToken, kVersion);
    for (int i = 0; i < 120; ++i) shop.AddProduct(StoreProduct(i));
    for (int i = 0; i < 150; ++i) shop.AddOrder(StoreOrder(i, Sku(i % 120)));
    const std::string integration = Connect(shop);

    // A small cost bucket, drained by someone else's query: the first page is THROTTLED, later ones must wait.
    shop.SetThrottle(60, 25);
    HttpClient direct;
    const auto drain = direct.Post(shop.base_url() + "/admin/api/" + kVersion + "/graphql.json",
                                   json{{"query", "query { products(first: 50) { nodes { id } } }"}},
                                   {{"X-Shopify-Access-Token", kToken}});
    ASSERT_EQ(drain.status, 200) << drain.body;
    const size_t before = shop.requests().size();

    const json started = Start("products", integration);
    // While page 2 waits for points, the store goes down for one attempt's worth of calls: progress so far is
    // saved, and the job's next attempt continues from the cursor of page 2.
    ASSERT_TRUE(Eventually([&] {
        const json now = Progress(integration, started["id"]);
        return now["state"] == "running" && now["pages"] == 1 && now["items"] == 50;
    }));
    shop.FailNext(3, {503, R"({"errors":"Service Unavailable"})", {{"Content-Type", "application/json"}}});
    const json products = Finished(integration, started["id"]);
    EXPECT_EQ(products["state"], "succeeded") << products.dump();
    EXPECT_EQ(products["pages"], 3);
    EXPECT_EQ(products["items"], 120);
    EXPECT_EQ(products["created"], 120);
    EXPECT_GE(shop.throttled_count(), 1);
    // Resumed, never restarted: once a page had been applied, every query continued from a cursor.
    const auto queries = ProductQueries(shop);
    ASSERT_GT(queries.size(), before);
    size_t first_cursor = 0;
    while (first_cursor < queries.size() && !queries[first_cursor].value("after", json()).is_string()) ++first_cursor;
    ASSERT_LT(first_cursor, queries.size());
    for (size_t i = first_cursor; i < queries.size(); ++i)
        EXPECT_TRUE(queries[i].value("after", json()).is_string()) << i;
    const auto asked_for_page_two = std::count_if(queries.begin(), queries.end(), [&](const json& variables) {
        return variables.value("after", json()) == queries[first_cursor].value("after", json());
    });
    EXPECT_GE(asked_for_page_two, 4);  // three refused, then answered
    EXPECT_EQ(All("/products?q=" + prefix_).size(), 120u);

    // A REST bucket of one call: the second page is answered 429 with Retry-After, and waited for.
    shop.SetRestBucket(1, 0.5);
    const json orders = Sync("orders", integration);
    EXPECT_EQ(orders["state"], "succeeded") << orders.dump();
    EXPECT_EQ(orders["pages"], 2);
    EXPECT_EQ(orders["created"], 150);
    EXPECT_GE(shop.rate_limited_count(), 1);
    EXPECT_EQ(StoreOrders().size(), 150u);
    EXPECT_TRUE(shop.violations().empty()) << shop.violations().front();
}

TEST_F(ShopifySync, RefusedCredentialsFailTheSyncWithTheReasonAndNoSecret) {
    FakeShopify shop(kToken, kVersion);
    shop.AddProduct(StoreProduct(0));
    const std::string wrong = "shpat_wrong_token_abcdef0123456789";
    const std::string integration = Connect(shop, wrong);

    const json failed = Sync("products", integration);
    EXPECT_EQ(failed["state"], "failed") << failed.dump();
    const std::string reason = failed["error"];
    EXPECT_NE(reason.find("401"), std::string::npos) << reason;
    EXPECT_NE(reason.find("Invalid API key or access token"), std::string::npos) << reason;
    EXPECT_EQ(failed.dump().find(wrong), std::string::npos);
    EXPECT_EQ(failed["created"], 0);
    EXPECT_TRUE(failed["finished_at"].is_string());
    // Refused at once, not retried: the store saw one call (the fake logs it as the bad token it is).
    EXPECT_EQ(shop.requests().size(), 1u);
    ASSERT_EQ(shop.violations().size(), 1u);
    EXPECT_NE(shop.violations()[0].find("wrong X-Shopify-Access-Token"), std::string::npos) << shop.violations()[0];
    EXPECT_EQ(All("/products?q=" + prefix_).size(), 0u);

    // A finished sync no longer blocks the next one.
    const json next = Start("products", integration);
    EXPECT_EQ(next["state"], "queued");
    EXPECT_EQ(Finished(integration, next["id"])["state"], "failed");
}

TEST_F(ShopifySync, OneUnfinishedSyncPerKindAndIntegrationAndOnlyForShopify) {
    FakeShopify shop(kToken, kVersion);
    shop.AddProduct(StoreProduct(0));
    const std::string integration = Connect(shop);

    // The store takes its time with the first call, so the sync is still unfinished when asked again.
    shop.FailNext(1, {503, R"({"errors":"Service Unavailable"})", {{"Content-Type", "application/json"}}, 1500ms});
    const json first = Start("products", integration);
    const auto second =
        http_.Post(Url("/integrations/shopify/sync-products"), json{{"integration_id", integration}}, As(a_owner_));
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_NE(second.Json().value("detail", "").find(first["id"].get<std::string>()), std::string::npos) << second.body;
    // Another kind of the same store may run beside it.
    const json orders = Start("orders", integration);
    EXPECT_EQ(Finished(integration, first["id"])["state"], "succeeded");
    EXPECT_EQ(Finished(integration, orders["id"])["state"], "succeeded");
    const json next = Start("products", integration);
    EXPECT_EQ(next["state"], "queued");
    EXPECT_EQ(Finished(integration, next["id"])["state"], "succeeded");

    // Only Shopify integrations sync; a tenant without one is told which field is missing.
    const auto stripe = http_.Post(
        Url("/integrations"),
        json{{"type", "stripe"}, {"name", "Pay " + prefix_}, {"config", {{"api_key", "sk_test_abcdefgh12345678"}}}},
        As(a_owner_));
    ASSERT_EQ(stripe.status, 201) << stripe.body;
    const auto not_a_store = http_.Post(Url("/integrations/shopify/sync-orders"),
                                        json{{"integration_id", stripe.Json()["id"]}}, As(a_owner_));
    EXPECT_EQ(FieldErrors(not_a_store), std::vector<std::string>{"integration_id"}) << not_a_store.body;
    const auto none = http_.Post(Url("/integrations/shopify/sync-products"), json::object(), As(b_owner_));
    EXPECT_EQ(FieldErrors(none), std::vector<std::string>{"integration_id"}) << none.body;
    const auto foreign =
        http_.Post(Url("/integrations/shopify/sync-products"), json{{"integration_id", integration}}, As(b_owner_));
    EXPECT_EQ(FieldErrors(foreign), std::vector<std::string>{"integration_id"}) << foreign.body;
    EXPECT_TRUE(shop.violations().empty()) << shop.violations().front();
}

TEST_F(ShopifySync, ProgressIsVisibleToTheTenantOnlyAndUnderItsIntegration) {
    FakeShopify shop(kToken, kVersion);
    shop.AddProduct(StoreProduct(0));
    const std::string integration = Connect(shop);
    const json sync = Sync("products", integration);
    ASSERT_EQ(sync["state"], "succeeded") << sync.dump();
    const std::string path = "/integrations/" + integration + "/syncs/" + sync["id"].get<std::string>();

    const auto own = http_.Get(Url(path), As(a_owner_));
    EXPECT_EQ(own.status, 200);
    for (const char* field : {"id", "integration_id", "kind", "state", "pages", "items", "created", "updated", "errors",
                              "since", "started_at", "finished_at"})
        EXPECT_TRUE(own.Json().contains(field)) << field;
    EXPECT_FALSE(own.Json().contains("cursor"));

    const auto other_tenant = http_.Get(Url(path), As(b_owner_));
    EXPECT_EQ(other_tenant.status, 404) << other_tenant.body;
    json problem = other_tenant.Json();
    problem.erase("instance");  // the caller's own request path
    EXPECT_EQ(problem.dump().find(integration), std::string::npos) << other_tenant.body;
    EXPECT_EQ(http_.Get(Url(path), As(b_owner_, "demo")).status, 404);
    // The sync belongs to its integration: under another one it does not exist.
    const std::string other = Connect(shop);
    EXPECT_EQ(http_.Get(Url("/integrations/" + other + "/syncs/" + sync["id"].get<std::string>()), As(a_owner_)).status,
              404);
    EXPECT_EQ(http_.Get(Url("/integrations/" + integration + "/syncs/not-an-id"), As(a_owner_)).status, 404);
    EXPECT_TRUE(shop.violations().empty()) << shop.violations().front();
}

}  // namespace
}  // namespace kiln::testing
