// Products over the API: CRUD with partial updates, validation that writes nothing, search,
// pagination, external references, and the audit rows and events every change leaves.
#include <gmock/gmock.h>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

class Catalog : public ApiTest {
  protected:
    json Create(json body, const std::string& token = a_owner_) {
        if (!body.contains("name")) body["name"] = "Product " + body["sku"].get<std::string>();
        if (!body.contains("unit_price")) body["unit_price"] = 1999;
        if (!body.contains("currency")) body["currency"] = "EUR";
        const auto r = http_.Post(Url("/products"), body, As(token));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json();
    }
    json List(const std::string& query) {
        const auto r = http_.Get(Url("/products" + query), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    std::vector<std::string> Skus(const std::string& query) {
        std::vector<std::string> skus;
        const json page = List(query);  // named: a range-for over a temporary's member would dangle
        for (const auto& p : page["data"]) skus.push_back(p["sku"]);
        return skus;
    }
    json Events(const std::string& type, const std::string& id) {
        json found = json::array();
        const auto r = http_.Get(Url("/events?limit=200&type=" + type), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        const json events = r.Json();
        for (const auto& e : events["data"])
            if (e["ordering_key"] == "product:" + id) found.push_back(e);
        return found;
    }
};

TEST_F(Catalog, CreateReadUpdateDelete) {
    const json created = Create({{"sku", "CRUD-1"},
                                 {"name", "Walnut desk"},
                                 {"unit_price", 45000},
                                 {"currency", "EUR"},
                                 {"external_refs", json::array({{{"source", "shopify"}, {"external_id", "9001"}}})}});
    const std::string id = created["id"];
    EXPECT_EQ(created["description"], "");
    EXPECT_EQ(created["active"], true);
    EXPECT_EQ(created["stock_quantity"], 0);
    EXPECT_EQ(created["external_refs"], json::parse(R"([{"source":"shopify","external_id":"9001"}])"));
    EXPECT_EQ(http_.Get(Url("/products/" + id), As(a_owner_)).Json(), created);

    // Only the fields given change. (A quantity set here is a stock movement, which keeps the product from being
    // deleted: the Stock suite covers that.)
    const auto updated =
        http_.Put(Url("/products/" + id), json{{"unit_price", 42000}, {"description", "Solid walnut"}}, As(a_owner_));
    ASSERT_EQ(updated.status, 200) << updated.body;
    const json after = updated.Json();
    EXPECT_EQ(after["unit_price"], 42000);
    EXPECT_EQ(after["description"], "Solid walnut");
    EXPECT_EQ(after["stock_quantity"], created["stock_quantity"]);
    EXPECT_EQ(after["name"], "Walnut desk");
    EXPECT_EQ(after["currency"], "EUR");
    EXPECT_EQ(after["external_refs"], created["external_refs"]);
    EXPECT_EQ(http_.Get(Url("/products/" + id), As(a_owner_)).Json(), after);

    EXPECT_EQ(http_.Delete(Url("/products/" + id), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Get(Url("/products/" + id), As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Delete(Url("/products/" + id), As(a_owner_)).status, 404);
    // The deleted product's reference is free again.
    Create({{"sku", "CRUD-2"}, {"external_refs", json::array({{{"source", "shopify"}, {"external_id", "9001"}}})}});
}

TEST_F(Catalog, DuplicateSkuIsAFieldError) {
    Create({{"sku", "DUP-1"}});
    const auto again = http_.Post(
        Url("/products"), json{{"sku", "DUP-1"}, {"name", "x"}, {"unit_price", 1}, {"currency", "USD"}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(again), ElementsAre("sku")) << again.body;
    const std::string other = Create({{"sku", "DUP-2"}})["id"];
    const auto renamed = http_.Put(Url("/products/" + other), json{{"sku", "DUP-1"}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(renamed), ElementsAre("sku")) << renamed.body;
    EXPECT_EQ(http_.Get(Url("/products/" + other), As(a_owner_)).Json()["sku"], "DUP-2");
    // SKUs are unique per tenant: B may use the same one.
    Create({{"sku", "DUP-1"}}, b_owner_);
}

TEST_F(Catalog, InvalidInputWritesNothing) {
    const std::string prefix = R"({"sku":"BAD-1","name":"Bad","currency":"EUR","unit_price":)";
    for (const char* price : {"-1", "1e30", "9223372036854775808", "1000000000000001", "12.5", "\"12\""}) {
        const auto r = http_.Post(Url("/products"), prefix + price + "}", As(a_owner_));
        EXPECT_THAT(FieldErrors(r), ElementsAre("unit_price")) << price << ": " << r.body;
    }
    const json valid{{"sku", "BAD-1"}, {"name", "Bad"}, {"unit_price", 1}, {"currency", "EUR"}};
    for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{{"currency", "XYZ"},
                                                                                {"currency", "eur"},
                                                                                {"sku", ""},
                                                                                {"sku", std::string(65, 's')},
                                                                                {"name", std::string(201, 'n')},
                                                                                {"description", std::string(5001, 'd')},
                                                                                {"stock_quantity", -1},
                                                                                {"active", "yes"},
                                                                                {"colour", "red"}}) {
        json body = valid;
        body[field] = value;
        const auto r = http_.Post(Url("/products"), body, As(a_owner_));
        EXPECT_THAT(FieldErrors(r), ElementsAre(field)) << body.dump() << ": " << r.body;
    }
    EXPECT_TRUE(List("?sku=BAD-1")["data"].empty());
    // A refused update changes nothing either.
    const json product = Create({{"sku", "BAD-2"}});
    const auto r = http_.Put(Url("/products/" + product["id"].get<std::string>()),
                             json{{"name", "Renamed"}, {"unit_price", -5}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(r), ElementsAre("unit_price"));
    EXPECT_EQ(http_.Get(Url("/products/" + product["id"].get<std::string>()), As(a_owner_)).Json(), product);
}

TEST_F(Catalog, SearchByQuerySkuAndActive) {
    Create({{"sku", "SRCH-CHAIR-1"}, {"name", "Oak Chair"}});
    Create({{"sku", "SRCH-TABLE-1"}, {"name", "Oak table 100% solid"}, {"active", false}});
    Create({{"sku", "SRCH-LAMP-1"}, {"name", "Desk lamp_x"}});
    EXPECT_THAT(Skus("?q=srch-ch"), ElementsAre("SRCH-CHAIR-1"));              // SKU prefix, any case
    EXPECT_THAT(Skus("?q=OAK"), ElementsAre("SRCH-TABLE-1", "SRCH-CHAIR-1"));  // name substring
    EXPECT_TRUE(Skus("?q=CHAIR-1").empty());                                   // a SKU matches by prefix only
    EXPECT_THAT(Skus("?q=100%25"), ElementsAre("SRCH-TABLE-1"));               // wildcards are literal
    EXPECT_TRUE(Skus("?q=%25%25%25").empty());
    EXPECT_THAT(Skus("?q=p_x"), ElementsAre("SRCH-LAMP-1"));
    EXPECT_TRUE(Skus("?q=am_").empty());  // "_" would match the "p" of "lamp"
    EXPECT_THAT(Skus("?q=srch&active=false"), ElementsAre("SRCH-TABLE-1"));
    EXPECT_THAT(Skus("?q=srch&active=true"), ElementsAre("SRCH-LAMP-1", "SRCH-CHAIR-1"));
    EXPECT_THAT(Skus("?sku=SRCH-LAMP-1"), ElementsAre("SRCH-LAMP-1"));
    EXPECT_TRUE(Skus("?sku=srch-lamp-1").empty());
    EXPECT_EQ(http_.Get(Url("/products?active=maybe"), As(a_owner_)).status, 422);
    // Another tenant's products are never found.
    const auto in_b = http_.Get(Url("/products?q=srch"), As(b_owner_));
    EXPECT_TRUE(in_b.Json()["data"].empty()) << in_b.body;
}

TEST_F(Catalog, PaginationWalksEveryProductOnce) {
    std::vector<std::string> created;
    for (int i = 0; i < 5; ++i) created.insert(created.begin(), Create({{"sku", "PAGE-" + std::to_string(i)}})["id"]);
    std::vector<std::string> seen;
    std::string query = "?q=PAGE-&limit=2";
    for (int pages = 0; pages < 10; ++pages) {
        const json page = List(query);
        for (const auto& p : page["data"]) seen.push_back(p["id"]);
        if (page["next_cursor"].is_null()) break;
        EXPECT_EQ(page["data"].size(), 2U);
        query = "?q=PAGE-&limit=2&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, created);
}

TEST_F(Catalog, ExternalReferencesBelongToOneProduct) {
    const json shopify_1 = {{"source", "shopify"}, {"external_id", "1"}};
    const json woo_1 = {{"source", "woocommerce"}, {"external_id", "1"}};
    const std::string first = Create({{"sku", "REF-1"}, {"external_refs", json::array({woo_1, shopify_1})}})["id"];
    // Shown sorted, whatever order they were given in.
    EXPECT_EQ(http_.Get(Url("/products/" + first), As(a_owner_)).Json()["external_refs"],
              json::array({shopify_1, woo_1}));

    const auto taken = http_.Post(Url("/products"),
                                  json{{"sku", "REF-2"},
                                       {"name", "x"},
                                       {"unit_price", 1},
                                       {"currency", "EUR"},
                                       {"external_refs", json::array({shopify_1})}},
                                  As(a_owner_));
    EXPECT_THAT(FieldErrors(taken), ElementsAre("external_refs")) << taken.body;
    EXPECT_TRUE(List("?sku=REF-2")["data"].empty());
    const auto twice = http_.Post(Url("/products"),
                                  json{{"sku", "REF-2"},
                                       {"name", "x"},
                                       {"unit_price", 1},
                                       {"currency", "EUR"},
                                       {"external_refs", json::array({{{"source", "etsy"}, {"external_id", "5"}},
                                                                      {{"source", "etsy"}, {"external_id", "5"}}})}},
                                  As(a_owner_));
    EXPECT_THAT(FieldErrors(twice), ElementsAre("external_refs")) << twice.body;

    const std::string second = Create({{"sku", "REF-2"}})["id"];
    const auto stolen =
        http_.Put(Url("/products/" + second), json{{"external_refs", json::array({woo_1})}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(stolen), ElementsAre("external_refs")) << stolen.body;
    // Moving a reference: the first product lets go, then the second may take it.
    ASSERT_EQ(
        http_.Put(Url("/products/" + first), json{{"external_refs", json::array({shopify_1})}}, As(a_owner_)).status,
        200);
    const auto moved =
        http_.Put(Url("/products/" + second), json{{"external_refs", json::array({woo_1})}}, As(a_owner_));
    EXPECT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(List("?sku=REF-2")["data"][0]["external_refs"], json::array({woo_1}));
    // References are per tenant.
    Create({{"sku", "REF-1"}, {"external_refs", json::array({shopify_1})}}, b_owner_);
}

TEST_F(Catalog, ChangesAreAuditedAndPublishedAsEvents) {
    const std::string id = Create({{"sku", "EVT-1"}, {"name", "Evented"}})["id"];
    ASSERT_EQ(http_.Put(Url("/products/" + id), json{{"name", "Renamed"}, {"sku", "EVT-1"}}, As(a_owner_)).status, 200);
    ASSERT_EQ(http_.Delete(Url("/products/" + id), As(a_owner_)).status, 204);

    const json created = Events("product.created", id);
    ASSERT_EQ(created.size(), 1U);
    EXPECT_EQ(created[0]["sequence"], 1);
    EXPECT_EQ(created[0]["data"]["product"]["sku"], "EVT-1");
    const json updated = Events("product.updated", id);
    ASSERT_EQ(updated.size(), 1U);
    EXPECT_EQ(updated[0]["sequence"], 2);
    EXPECT_EQ(updated[0]["data"]["changes"], json::parse(R"({"name":{"from":"Evented","to":"Renamed"}})"));
    EXPECT_EQ(updated[0]["data"]["product"]["name"], "Renamed");
    const json deleted = Events("product.deleted", id);
    ASSERT_EQ(deleted.size(), 1U);
    EXPECT_EQ(deleted[0]["sequence"], 3);

    const auto audit = http_.Get(Url("/audit-logs?entity_type=product&entity_id=" + id), As(a_owner_)).Json()["data"];
    ASSERT_EQ(audit.size(), 3U) << audit.dump();
    EXPECT_EQ(audit[0]["action"], "products.delete");
    EXPECT_EQ(audit[1]["action"], "products.update");
    EXPECT_EQ(audit[1]["changes"]["name"]["to"], "Renamed");
    EXPECT_FALSE(audit[1]["changes"].contains("sku"));  // given, but unchanged
    EXPECT_EQ(audit[2]["action"], "products.create");

    const json types = http_.Get(Url("/events/types"), As(a_owner_)).Json()["data"];
    std::set<std::string> declared;
    for (const auto& t : types)
        if (t["name"].get<std::string>().rfind("product.", 0) == 0 && t["data_schema"].is_object())
            declared.insert(t["name"]);
    EXPECT_EQ(declared,
              (std::set<std::string>{"product.created", "product.deleted", "product.low_stock", "product.updated"}));
}

TEST_F(Catalog, IdempotencyKeyCreatesOnce) {
    const json body{{"sku", "IDEM-1"}, {"name", "Once"}, {"unit_price", 100}, {"currency", "JPY"}};
    const HeaderList headers = {{"Authorization", "Bearer " + a_owner_}, {"Idempotency-Key", "product-key-1"}};
    const auto first = http_.Post(Url("/products"), body, headers);
    ASSERT_EQ(first.status, 201) << first.body;
    const auto second = http_.Post(Url("/products"), body, headers);
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.Header("idempotent-replayed"), "true");
    EXPECT_EQ(List("?sku=IDEM-1")["data"].size(), 1U);
}

TEST_F(Catalog, OtherTenantsProductsAreInvisible) {
    const std::string id = Create({{"sku", "ISO-1"}})["id"];
    EXPECT_EQ(http_.Get(Url("/products/" + id), As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Put(Url("/products/" + id), json{{"name", "mine"}}, As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Delete(Url("/products/" + id), As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Get(Url("/products/" + id), As(a_owner_)).Json()["name"], "Product ISO-1");
}

}  // namespace
}  // namespace kiln::testing
