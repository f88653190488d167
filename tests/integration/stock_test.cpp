// Stock over the API: fulfilling an order moves stock (one movement per line, the quantity in the same transaction)
// and posts its cost of goods sold; a shortfall is refused unless the tenant allows negative stock; adjustments and
// direct quantity changes are movements too; product.low_stock when a quantity falls to its reorder level.
#include "api_fixture.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Stock : public ApiTest {
  protected:
    json Product(const std::string& sku, int64_t quantity, int64_t unit_cost, std::optional<int64_t> reorder_level) {
        json body = {{"sku", sku},        {"name", "Stock " + sku},     {"unit_price", 1000},
                     {"currency", "EUR"}, {"stock_quantity", quantity}, {"unit_cost", unit_cost}};
        if (reorder_level) body["reorder_level"] = *reorder_level;
        return Created(http_.Post(Url("/products"), body, As(a_owner_)));
    }
    /// A confirmed order of `quantity` × `product` for a fresh customer.
    std::string ConfirmedOrder(const json& product, int64_t quantity) {
        const json customer = Created(http_.Post(Url("/customers"), json{{"name", "Stock buyer"}}, As(a_owner_)));
        const json order =
            Created(http_.Post(Url("/sales-orders"),
                               json{{"customer_id", customer["id"]},
                                    {"currency", "EUR"},
                                    {"lines", json::array({{{"product_id", product["id"]}, {"quantity", quantity}}})}},
                               As(a_owner_)));
        const std::string id = order["id"];
        const auto confirmed = http_.Post(Url("/sales-orders/" + id + "/confirm"), "", As(a_owner_));
        EXPECT_EQ(confirmed.status, 200) << confirmed.body;
        return id;
    }
    int64_t Quantity(const json& product) {
        return http_.Get(Url("/products/" + product["id"].get<std::string>()), As(a_owner_)).Json()["stock_quantity"];
    }
    json Movements(const json& product) {
        return http_.Get(Url("/stock-movements?product_id=" + product["id"].get<std::string>()), As(a_owner_))
            .Json()["data"];
    }
    void AllowNegative(bool allow) {
        const auto r = http_.Put(Url("/inventory/settings"), json{{"allow_negative_stock", allow}}, As(a_owner_));
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.Json()["allow_negative_stock"], allow);
    }
};

TEST_F(Stock, FulfillingAnOrderMovesStockAndPostsItsCost) {
    const json product = Product("STK-1", 10, 400, 3);
    const std::string order = ConfirmedOrder(product, 8);
    const auto fulfilled = http_.Post(Url("/sales-orders/" + order + "/fulfill"), "", As(a_owner_));
    ASSERT_EQ(fulfilled.status, 200) << fulfilled.body;
    EXPECT_EQ(Quantity(product), 2);

    const json movements = Movements(product);
    ASSERT_EQ(movements.size(), 1u) << movements.dump();
    EXPECT_EQ(movements[0]["quantity"], -8);
    EXPECT_EQ(movements[0]["quantity_after"], 2);
    EXPECT_EQ(movements[0]["reason"], "fulfillment");
    EXPECT_EQ(movements[0]["source_type"], "sales_order");
    EXPECT_EQ(movements[0]["source_id"], order);

    // Cost of goods sold: Dr 5000 / Cr 1300 at 8 × 400.
    const json entries =
        http_.Get(Url("/ledger/journal-entries?source_type=sales_order&source_id=" + order), As(a_owner_))
            .Json()["data"];
    ASSERT_EQ(entries.size(), 1u) << entries.dump();
    std::map<std::string, std::pair<int64_t, int64_t>> lines;
    for (const auto& line : entries[0]["lines"]) lines[line["account_code"]] = {line["debit"], line["credit"]};
    EXPECT_EQ(lines["5000"], std::make_pair(int64_t{3200}, int64_t{0})) << entries.dump();
    EXPECT_EQ(lines["1300"], std::make_pair(int64_t{0}, int64_t{3200}));

    // 10 → 2 crossed the reorder level of 3: product.low_stock, once.
    json low;
    ASSERT_TRUE(Eventually([&] {
        const json events = http_.Get(Url("/events?type=product.low_stock"), As(a_owner_)).Json()["data"];
        for (const auto& e : events)
            if (e["data"]["product"]["id"] == product["id"]) low = e;
        return !low.is_null();
    })) << "no product.low_stock event";
    EXPECT_EQ(low["data"]["product"]["stock_quantity"], 2) << low.dump();
    EXPECT_EQ(low["data"]["stock_movement"]["quantity"], -8);
}

TEST_F(Stock, AShortfallIsRefusedUnlessNegativeStockIsAllowed) {
    const json product = Product("STK-2", 2, 100, std::nullopt);
    const std::string order = ConfirmedOrder(product, 5);
    const auto refused = http_.Post(Url("/sales-orders/" + order + "/fulfill"), "", As(a_owner_));
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_NE(refused.body.find("STK-2 (would be -3)"), std::string::npos) << refused.body;
    // Nothing moved and nothing was posted: the order is still confirmed.
    EXPECT_EQ(Quantity(product), 2);
    EXPECT_TRUE(Movements(product).empty());
    EXPECT_EQ(http_.Get(Url("/sales-orders/" + order), As(a_owner_)).Json()["status"], "confirmed");
    EXPECT_TRUE(http_.Get(Url("/ledger/journal-entries?source_type=sales_order&source_id=" + order), As(a_owner_))
                    .Json()["data"]
                    .empty());

    AllowNegative(true);
    const auto allowed = http_.Post(Url("/sales-orders/" + order + "/fulfill"), "", As(a_owner_));
    EXPECT_EQ(allowed.status, 200) << allowed.body;
    EXPECT_EQ(Quantity(product), -3);
    AllowNegative(false);
    // Back in stock by an adjustment.
    const auto received =
        http_.Post(Url("/stock-movements"), json{{"product_id", product["id"]}, {"quantity", 10}, {"memo", "Delivery"}},
                   As(a_owner_));
    ASSERT_EQ(received.status, 201) << received.body;
    EXPECT_EQ(received.Json()["quantity_after"], 7);
    EXPECT_EQ(received.Json()["reason"], "adjustment");
    EXPECT_EQ(
        http_.Post(Url("/stock-movements"), json{{"product_id", product["id"]}, {"quantity", -8}}, As(a_owner_)).status,
        409);
    EXPECT_EQ(Quantity(product), 7);
}

TEST_F(Stock, EveryQuantityChangeIsAMovementOfTheTenantsOwnProducts) {
    const json product = Product("STK-3", 5, 0, std::nullopt);
    const auto set =
        http_.Put(Url("/products/" + product["id"].get<std::string>()), json{{"stock_quantity", 12}}, As(a_owner_));
    ASSERT_EQ(set.status, 200) << set.body;
    const json movements = Movements(product);
    ASSERT_EQ(movements.size(), 1u) << movements.dump();
    EXPECT_EQ(movements[0]["quantity"], 7);
    EXPECT_EQ(movements[0]["quantity_after"], 12);
    // A product with history is deactivated, not deleted.
    EXPECT_EQ(http_.Delete(Url("/products/" + product["id"].get<std::string>()), As(a_owner_)).status, 409);

    EXPECT_EQ(FieldErrors(http_.Post(Url("/stock-movements"), json{{"product_id", product["id"]}, {"quantity", 0}},
                                     As(a_owner_))),
              std::vector<std::string>{"quantity"});
    // Tenant B can neither see A's movements nor move A's stock.
    EXPECT_TRUE(http_.Get(Url("/stock-movements?product_id=" + product["id"].get<std::string>()), As(b_owner_))
                    .Json()["data"]
                    .empty());
    EXPECT_EQ(FieldErrors(http_.Post(Url("/stock-movements"), json{{"product_id", product["id"]}, {"quantity", -1}},
                                     As(b_owner_))),
              std::vector<std::string>{"product_id"});
    EXPECT_EQ(http_.Put(Url("/inventory/settings"), json{{"allow_negative_stock", true}}, As(b_owner_)).status, 200);
    EXPECT_EQ(http_.Get(Url("/inventory/settings"), As(a_owner_)).Json()["allow_negative_stock"], false);
    EXPECT_EQ(Quantity(product), 12);
    // A viewer reads stock but moves none.
    AddMember(a_owner_, "", "stock-viewer@demo.test", "viewer");
    const std::string viewer = Login("stock-viewer@demo.test", kMemberPassword);
    EXPECT_EQ(http_.Get(Url("/stock-movements"), As(viewer)).status, 200);
    EXPECT_EQ(
        http_.Post(Url("/stock-movements"), json{{"product_id", product["id"]}, {"quantity", 1}}, As(viewer)).status,
        403);
}

}  // namespace
}  // namespace kiln::testing
