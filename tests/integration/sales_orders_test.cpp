// Sales orders over the API: per-tenant numbering, exact integer totals with half-up tax, the
// status machine (illegal moves are 409s that write nothing), references that must belong to the
// tenant, duplicate store orders, and the events every change leaves.
#include <gmock/gmock.h>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

class SalesOrders : public ApiTest {
  protected:
    static std::string CreateProduct(const std::string& token, int64_t price, const std::string& currency = "EUR") {
        static int counter = 0;
        const std::string sku = "SO-SKU-" + std::to_string(++counter);
        const auto r = HttpClient().Post(Url("/products"),
                                         json{{"sku", sku},
                                              {"name", "Product " + sku},
                                              {"unit_price", price},
                                              {"currency", currency},
                                              {"stock_quantity", 1000}},  // enough for every order fulfilled here
                                         As(token));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json()["id"];
    }
    static std::string CreateCustomer(const std::string& token) {
        const auto r = HttpClient().Post(Url("/customers"), json{{"name", "Order Customer"}}, As(token));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json()["id"];
    }
    void SetUp() override {
        customer_ = CreateCustomer(a_owner_);
        product_ = CreateProduct(a_owner_, 1999);
    }
    json Order(json lines, json extra = json::object()) {
        json body = {{"customer_id", customer_}, {"currency", "EUR"}, {"lines", std::move(lines)}};
        body.update(extra);
        return body;
    }
    json Create(const json& body, const std::string& token = a_owner_) {
        const auto r = http_.Post(Url("/sales-orders"), body, As(token));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json();
    }
    HttpResponse Act(const std::string& id, const std::string& action) {
        return http_.Post(Url("/sales-orders/" + id + "/" + action), "", As(a_owner_));
    }
    json Get(const std::string& id) { return http_.Get(Url("/sales-orders/" + id), As(a_owner_)).Json(); }
    int64_t Count() {
        return static_cast<int64_t>(http_.Get(Url("/sales-orders?limit=200"), As(a_owner_)).Json()["data"].size());
    }

    std::string customer_, product_;
};

TEST_F(SalesOrders, NumbersCountPerTenant) {
    const json first = Create(Order({{{"product_id", product_}, {"quantity", 1}}}));
    const json second = Create(Order({{{"product_id", product_}, {"quantity", 1}}}));
    const int first_number = std::stoi(first["number"].get<std::string>().substr(3));
    EXPECT_THAT(first["number"].get<std::string>(), ::testing::MatchesRegex("SO-[0-9]{6}"));
    EXPECT_EQ(second["number"], "SO-" + std::string(5, '0') + std::to_string(first_number + 1)) << second;

    const std::string b_customer = CreateCustomer(b_owner_);
    const std::string b_product = CreateProduct(b_owner_, 500);
    const json in_b = Create(
        {{"customer_id", b_customer}, {"currency", "EUR"}, {"lines", {{{"product_id", b_product}, {"quantity", 2}}}}},
        b_owner_);
    EXPECT_EQ(in_b["number"], "SO-000001");
    EXPECT_EQ(in_b["total"], 1000);
}

TEST_F(SalesOrders, TotalsAreExactIntegersWithHalfUpTax) {
    const std::string lamp = CreateProduct(a_owner_, 250);
    const json order = Create(Order({{{"product_id", product_}, {"quantity", 3}, {"tax_rate_bp", 1800}},
                                     {{"product_id", lamp},
                                      {"quantity", 1},
                                      {"tax_rate_bp", 1000},
                                      {"unit_price", 5},
                                      {"description", "Lamp, discounted"}}},
                                    {{"notes", "ring twice"}}));
    // 3 × 1999 = 5997; 18% = 1079.46 → 1079. 1 × 5 = 5; 10% = 0.5 → 1 (half up).
    ASSERT_EQ(order["lines"].size(), 2U);
    EXPECT_EQ(order["lines"][0]["line_total"], 5997);
    EXPECT_EQ(order["lines"][0]["line_tax"], 1079);
    EXPECT_EQ(order["lines"][0]["unit_price"], 1999);
    // Without a description or price, a line takes the product's.
    EXPECT_EQ(order["lines"][0]["description"], http_.Get(Url("/products/" + product_), As(a_owner_)).Json()["name"]);
    EXPECT_EQ(order["lines"][1]["line_total"], 5);
    EXPECT_EQ(order["lines"][1]["line_tax"], 1);
    EXPECT_EQ(order["lines"][1]["description"], "Lamp, discounted");
    EXPECT_EQ(order["subtotal"], 6002);
    EXPECT_EQ(order["tax_total"], 1080);
    EXPECT_EQ(order["total"], 7082);
    EXPECT_EQ(order["status"], "draft");
    EXPECT_EQ(order["source"], "manual");
    EXPECT_EQ(order["external_ref"], nullptr);
    EXPECT_EQ(Get(order["id"]), order);
}

TEST_F(SalesOrders, TransitionsFollowTheStatusMachine) {
    const std::string id = Create(Order({{{"product_id", product_}, {"quantity", 1}}}))["id"];
    EXPECT_EQ(Act(id, "fulfill").status, 409);  // not confirmed yet
    ASSERT_EQ(Get(id)["status"], "draft");

    const auto confirmed = Act(id, "confirm");
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(confirmed.Json()["status"], "confirmed");
    const json before = Get(id);
    // A confirmed order is what the customer was promised: no edits, no deletion, no second confirm.
    const auto edit = http_.Put(Url("/sales-orders/" + id), json{{"notes", "late change"}}, As(a_owner_));
    EXPECT_EQ(edit.status, 409);
    EXPECT_NE(edit.Json().value("detail", "").find("draft"), std::string::npos) << edit.body;
    EXPECT_EQ(http_.Delete(Url("/sales-orders/" + id), As(a_owner_)).status, 409);
    EXPECT_EQ(Act(id, "confirm").status, 409);
    EXPECT_EQ(Get(id), before);

    ASSERT_EQ(Act(id, "fulfill").status, 200);
    const auto cancel = Act(id, "cancel");
    EXPECT_EQ(cancel.status, 409);
    EXPECT_NE(cancel.Json().value("detail", "").find("fulfilled"), std::string::npos) << cancel.body;
    EXPECT_EQ(Get(id)["status"], "fulfilled");

    const std::string draft = Create(Order({{{"product_id", product_}, {"quantity", 1}}}))["id"];
    ASSERT_EQ(Act(draft, "cancel").status, 200);
    EXPECT_EQ(Act(draft, "confirm").status, 409);
    EXPECT_EQ(Get(draft)["status"], "cancelled");
    EXPECT_EQ(Act("00000000-0000-7000-8000-000000000000", "confirm").status, 404);

    const std::string confirmed_then_cancelled = Create(Order({{{"product_id", product_}, {"quantity", 1}}}))["id"];
    ASSERT_EQ(Act(confirmed_then_cancelled, "confirm").status, 200);
    ASSERT_EQ(Act(confirmed_then_cancelled, "cancel").status, 200);
}

TEST_F(SalesOrders, DraftsCanBeEditedAndDeleted) {
    const json order = Create(Order({{{"product_id", product_}, {"quantity", 1}}}));
    const std::string id = order["id"];
    const std::string other_customer = CreateCustomer(a_owner_);
    const auto edited = http_.Put(Url("/sales-orders/" + id),
                                  json{{"notes", "gift wrap"},
                                       {"customer_id", other_customer},
                                       {"lines", {{{"product_id", product_}, {"quantity", 2}, {"tax_rate_bp", 1000}}}}},
                                  As(a_owner_));
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited.Json()["total"], 3998 + 400);
    EXPECT_EQ(edited.Json()["customer_id"], other_customer);
    EXPECT_EQ(edited.Json()["number"], order["number"]);
    EXPECT_EQ(Get(id), edited.Json());
    EXPECT_EQ(http_.Delete(Url("/sales-orders/" + id), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Get(Url("/sales-orders/" + id), As(a_owner_)).status, 404);
}

TEST_F(SalesOrders, InvalidOrdersAreFieldErrorsAndWriteNothing) {
    const int64_t before = Count();
    const std::string dollars = CreateProduct(a_owner_, 100, "USD");
    EXPECT_THAT(FieldErrors(http_.Post(Url("/sales-orders"), Order({{{"product_id", dollars}, {"quantity", 1}}}),
                                       As(a_owner_))),
                ElementsAre("lines[0].product_id"));
    const auto mixed =
        http_.Post(Url("/sales-orders"), Order({{{"product_id", dollars}, {"quantity", 1}}}), As(a_owner_));
    EXPECT_NE(mixed.body.find("mixed currencies"), std::string::npos) << mixed.body;

    for (const int64_t quantity : {0, -3, 1'000'001})
        EXPECT_THAT(FieldErrors(http_.Post(Url("/sales-orders"),
                                           Order({{{"product_id", product_}, {"quantity", quantity}}}), As(a_owner_))),
                    ElementsAre("lines[0].quantity"))
            << quantity;
    // 10^15 × 10^6 does not fit in 64 bits.
    const auto overflow =
        http_.Post(Url("/sales-orders"),
                   Order({{{"product_id", product_}, {"quantity", 1'000'000}, {"unit_price", 1'000'000'000'000'000}}}),
                   As(a_owner_));
    EXPECT_THAT(FieldErrors(overflow), ElementsAre("lines[0]")) << overflow.body;
    // Totals that overflow only when summed.
    const json big = {{"product_id", product_}, {"quantity", 9000}, {"unit_price", 1'000'000'000'000'000}};
    EXPECT_THAT(FieldErrors(http_.Post(Url("/sales-orders"), Order({big, big}), As(a_owner_))),
                ::testing::Contains("lines"));

    // Another tenant's customer or product reads exactly like a missing one.
    const std::string b_customer = CreateCustomer(b_owner_);
    const std::string b_product = CreateProduct(b_owner_, 100);
    const std::string missing = "00000000-0000-7000-8000-000000000000";
    for (const auto& [customer, product] : {std::pair{b_customer, b_product}, std::pair{missing, missing}}) {
        const auto r = http_.Post(
            Url("/sales-orders"),
            {{"customer_id", customer}, {"currency", "EUR"}, {"lines", {{{"product_id", product}, {"quantity", 1}}}}},
            As(a_owner_));
        EXPECT_THAT(FieldErrors(r), ElementsAre("customer_id", "lines[0].product_id")) << r.body;
        std::string shown = r.body;
        for (const auto& id : {customer, product})
            EXPECT_EQ(shown.find(id), std::string::npos) << "an id was echoed: " << shown;
    }
    EXPECT_EQ(Count(), before);
}

TEST_F(SalesOrders, ProductsAndCustomersOnOrdersCannotBeDeleted) {
    const std::string product = CreateProduct(a_owner_, 100);
    Create(Order({{{"product_id", product}, {"quantity", 1}}}));
    // The order still points at both: a conflict with existing data, never a server error.
    EXPECT_EQ(http_.Delete(Url("/products/" + product), As(a_owner_)).status, 409);
    EXPECT_EQ(http_.Delete(Url("/customers/" + customer_), As(a_owner_)).status, 409);
    EXPECT_EQ(http_.Get(Url("/products/" + product), As(a_owner_)).status, 200);
}

TEST_F(SalesOrders, AStoreOrderIsCreatedOnce) {
    const json body =
        Order({{{"product_id", product_}, {"quantity", 1}}}, {{"source", "shopify"}, {"external_ref", "#1001"}});
    const json first = Create(body);
    EXPECT_EQ(first["source"], "shopify");
    EXPECT_EQ(first["external_ref"], "#1001");
    const int64_t before = Count();
    EXPECT_THAT(FieldErrors(http_.Post(Url("/sales-orders"), body, As(a_owner_))), ElementsAre("external_ref"));
    EXPECT_EQ(Count(), before);
    // The same id from another store is another order; so is any number of manual ones.
    Create(
        Order({{{"product_id", product_}, {"quantity", 1}}}, {{"source", "woocommerce"}, {"external_ref", "#1001"}}));
    Create(Order({{{"product_id", product_}, {"quantity", 1}}}));
    Create(Order({{{"product_id", product_}, {"quantity", 1}}}));
}

TEST_F(SalesOrders, ListFiltersByStatusCustomerAndNumber) {
    const std::string customer = CreateCustomer(a_owner_);
    const json body = {
        {"customer_id", customer}, {"currency", "EUR"}, {"lines", {{{"product_id", product_}, {"quantity", 1}}}}};
    const json draft = Create(body);
    const json confirmed = Create(body);
    ASSERT_EQ(Act(confirmed["id"], "confirm").status, 200);
    const auto list = [&](const std::string& query) {
        std::vector<std::string> numbers;
        const json page = http_.Get(Url("/sales-orders?" + query), As(a_owner_)).Json();
        for (const auto& o : page["data"]) numbers.push_back(o["number"]);
        return numbers;
    };
    EXPECT_THAT(list("customer_id=" + customer), ElementsAre(confirmed["number"], draft["number"]));
    EXPECT_THAT(list("customer_id=" + customer + "&status=draft"), ElementsAre(draft["number"]));
    EXPECT_THAT(list("q=" + draft["number"].get<std::string>().substr(3)), ElementsAre(draft["number"]));
    EXPECT_EQ(http_.Get(Url("/sales-orders?status=shipped"), As(a_owner_)).status, 422);
    EXPECT_EQ(http_.Get(Url("/sales-orders?customer_id=nope"), As(a_owner_)).status, 422);
}

TEST_F(SalesOrders, ChangesAreAuditedAndPublishedAsEvents) {
    const std::string id = Create(Order({{{"product_id", product_}, {"quantity", 1}}}))["id"];
    ASSERT_EQ(http_.Put(Url("/sales-orders/" + id), json{{"notes", "n"}}, As(a_owner_)).status, 200);
    ASSERT_EQ(Act(id, "confirm").status, 200);
    ASSERT_EQ(Act(id, "fulfill").status, 200);
    std::vector<std::pair<std::string, int64_t>> seen;
    const json events = http_.Get(Url("/events?limit=200"), As(a_owner_)).Json();
    for (const auto& e : events["data"])
        if (e["ordering_key"] == "sales_order:" + id) seen.emplace_back(e["type"], e["sequence"]);
    EXPECT_THAT(seen, ElementsAre(std::pair<std::string, int64_t>{"sales_order.fulfilled", 4},
                                  std::pair<std::string, int64_t>{"sales_order.confirmed", 3},
                                  std::pair<std::string, int64_t>{"sales_order.updated", 2},
                                  std::pair<std::string, int64_t>{"sales_order.created", 1}));
    const json confirmed = http_.Get(Url("/events?limit=200&type=sales_order.confirmed"), As(a_owner_)).Json();
    ASSERT_FALSE(confirmed["data"].empty());
    EXPECT_EQ(confirmed["data"][0]["data"]["sales_order"]["id"], id);
    EXPECT_EQ(confirmed["data"][0]["data"]["changes"]["status"], json::parse(R"({"from":"draft","to":"confirmed"})"));
    const auto audit =
        http_.Get(Url("/audit-logs?entity_type=sales_order&entity_id=" + id), As(a_owner_)).Json()["data"];
    ASSERT_EQ(audit.size(), 4U) << audit.dump();
    EXPECT_EQ(audit[0]["action"], "sales_orders.fulfill");
    EXPECT_EQ(audit[1]["action"], "sales_orders.confirm");
}

}  // namespace
}  // namespace kiln::testing
