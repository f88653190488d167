// Customers over the API: CRUD with partial updates, contact validation, search, pagination,
// external references, and the audit rows and events every change leaves.
#include <gmock/gmock.h>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

class Customers : public ApiTest {
  protected:
    json Create(const json& body, const std::string& token = a_owner_) {
        const auto r = http_.Post(Url("/customers"), body, As(token));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json();
    }
    std::vector<std::string> Names(const std::string& query) {
        const auto r = http_.Get(Url("/customers" + query), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> names;
        const json page = r.Json();  // named: a range-for over a temporary's member would dangle
        for (const auto& c : page["data"]) names.push_back(c["name"]);
        return names;
    }
};

TEST_F(Customers, CreateReadUpdateDelete) {
    const json address = {{"line1", "Hauptstr. 1"}, {"city", "Berlin"}, {"postal_code", "10115"}, {"country", "DE"}};
    const json created = Create({{"name", "Acme GmbH"},
                                 {"email", "billing@acme.test"},
                                 {"phone", "+49 30 123-456"},
                                 {"billing_address", address},
                                 {"external_refs", json::array({{{"source", "shopify"}, {"external_id", "c-1"}}})}});
    const std::string id = created["id"];
    EXPECT_EQ(created["billing_address"], address);
    EXPECT_EQ(http_.Get(Url("/customers/" + id), As(a_owner_)).Json(), created);
    const json bare = Create({{"name", "Walk-in"}});
    EXPECT_TRUE(bare["email"].is_null());
    EXPECT_TRUE(bare["phone"].is_null());
    EXPECT_EQ(bare["billing_address"], json::object());
    EXPECT_EQ(bare["external_refs"], json::array());

    // Only the fields given change; null clears an optional one.
    const auto updated =
        http_.Put(Url("/customers/" + id), json{{"phone", nullptr}, {"name", "Acme AG"}}, As(a_owner_));
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_TRUE(updated.Json()["phone"].is_null());
    EXPECT_EQ(updated.Json()["name"], "Acme AG");
    EXPECT_EQ(updated.Json()["email"], "billing@acme.test");
    EXPECT_EQ(updated.Json()["billing_address"], address);
    EXPECT_EQ(updated.Json()["external_refs"], created["external_refs"]);
    EXPECT_EQ(http_.Get(Url("/customers/" + id), As(a_owner_)).Json(), updated.Json());

    EXPECT_EQ(http_.Delete(Url("/customers/" + id), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Get(Url("/customers/" + id), As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Get(Url("/customers/" + id), As(b_owner_)).status, 404);
}

TEST_F(Customers, InvalidContactDetailsWriteNothing) {
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"email", "not-an-email"}}, "email"},
        {{{"phone", "call me"}}, "phone"},
        {{{"phone", "+"}}, "phone"},
        {{{"phone", "12+34"}}, "phone"},
        {{{"phone", std::string(33, '1')}}, "phone"},
        {{{"billing_address", {{"country", "de"}}}}, "billing_address.country"},
        {{{"billing_address", {{"country", "DEU"}}}}, "billing_address.country"},
        {{{"billing_address", {{"planet", "Mars"}}}}, "billing_address.planet"},
        {{{"name", ""}}, "name"},
        {{{"vip", true}}, "vip"},
    };
    for (const auto& [fields, field] : cases) {
        json body = {{"name", "Invalid Ltd"}};
        body.update(fields);
        const auto r = http_.Post(Url("/customers"), body, As(a_owner_));
        EXPECT_THAT(FieldErrors(r), ElementsAre(field)) << body.dump() << ": " << r.body;
    }
    EXPECT_THAT(FieldErrors(http_.Post(Url("/customers"), json{{"email", "x@y.test"}}, As(a_owner_))),
                ElementsAre("name"));
    EXPECT_TRUE(Names("?q=Invalid").empty());
}

TEST_F(Customers, SearchMatchesNameOrEmailIgnoringCase) {
    Create({{"name", "Zeta Traders"}, {"email", "orders@zeta.test"}});
    Create({{"name", "Omega 50% Off"}, {"email", "hello@omega.test"}});
    EXPECT_THAT(Names("?q=zeta"), ElementsAre("Zeta Traders"));
    EXPECT_THAT(Names("?q=HELLO%40OMEGA"), ElementsAre("Omega 50% Off"));
    EXPECT_THAT(Names("?q=.test"), ElementsAre("Omega 50% Off", "Zeta Traders"));
    EXPECT_THAT(Names("?q=50%25"), ElementsAre("Omega 50% Off"));
    EXPECT_TRUE(Names("?q=%25%25").empty());
    const auto in_b = http_.Get(Url("/customers?q=zeta"), As(b_owner_));
    EXPECT_TRUE(in_b.Json()["data"].empty()) << in_b.body;
}

TEST_F(Customers, PaginationWalksEveryCustomerOnce) {
    std::vector<std::string> created;
    for (int i = 0; i < 5; ++i)
        created.insert(created.begin(), Create({{"name", "Paged " + std::to_string(i)}})["id"].get<std::string>());
    std::vector<std::string> seen;
    std::string query = "?q=Paged&limit=2";
    for (int pages = 0; pages < 10; ++pages) {
        const json page = http_.Get(Url("/customers" + query), As(a_owner_)).Json();
        for (const auto& c : page["data"]) seen.push_back(c["id"]);
        if (page["next_cursor"].is_null()) break;
        query = "?q=Paged&limit=2&cursor=" + page["next_cursor"].get<std::string>();
    }
    EXPECT_EQ(seen, created);
}

TEST_F(Customers, ExternalReferencesBelongToOneCustomer) {
    const json ref = {{"source", "quickbooks"}, {"external_id", "77"}};
    Create({{"name", "Ref Holder"}, {"external_refs", json::array({ref})}});
    const auto taken =
        http_.Post(Url("/customers"), json{{"name", "Ref Thief"}, {"external_refs", json::array({ref})}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(taken), ElementsAre("external_refs")) << taken.body;
    EXPECT_TRUE(Names("?q=Ref%20Thief").empty());
    const std::string other = Create({{"name", "Ref Other"}})["id"];
    const auto stolen =
        http_.Put(Url("/customers/" + other), json{{"external_refs", json::array({ref})}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(stolen), ElementsAre("external_refs")) << stolen.body;
    Create({{"name", "Ref Holder"}, {"external_refs", json::array({ref})}}, b_owner_);
}

TEST_F(Customers, ChangesAreAuditedAndPublishedAsEvents) {
    const std::string id = Create({{"name", "Evented Co"}})["id"];
    ASSERT_EQ(http_.Put(Url("/customers/" + id), json{{"email", "new@evented.test"}}, As(a_owner_)).status, 200);
    ASSERT_EQ(http_.Delete(Url("/customers/" + id), As(a_owner_)).status, 204);
    std::vector<std::pair<std::string, int64_t>> seen;
    const json events = http_.Get(Url("/events?limit=200"), As(a_owner_)).Json();
    for (const auto& e : events["data"])
        if (e["ordering_key"] == "customer:" + id) seen.emplace_back(e["type"], e["sequence"]);
    EXPECT_THAT(seen, ElementsAre(std::pair<std::string, int64_t>{"customer.deleted", 3},
                                  std::pair<std::string, int64_t>{"customer.updated", 2},
                                  std::pair<std::string, int64_t>{"customer.created", 1}));
    const auto audit = http_.Get(Url("/audit-logs?entity_type=customer&entity_id=" + id), As(a_owner_)).Json()["data"];
    ASSERT_EQ(audit.size(), 3U) << audit.dump();
    EXPECT_EQ(audit[1]["action"], "customers.update");
    EXPECT_EQ(audit[1]["changes"]["email"], json::parse(R"({"from":null,"to":"new@evented.test"})"));
}

}  // namespace
}  // namespace kiln::testing
