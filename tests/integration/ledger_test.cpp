// The ledger over the API: balanced manual entries, a trial balance that sums to zero, refusals
// (422) that write nothing, closed months (409) and account statements with running balances.
#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Ledger : public ApiTest {
  protected:
    static json Line(const std::string& account, int64_t debit, int64_t credit) {
        return {{"account_code", account}, {"debit", debit}, {"credit", credit}};
    }
    HttpResponse PostEntry(json lines, json extra = json::object()) {
        json body = {{"currency", "EUR"}, {"lines", std::move(lines)}};
        body.update(extra);
        return http_.Post(Url("/ledger/journal-entries"), body, As(b_owner_));
    }
    size_t EntryCount() { return http_.Get(Url("/ledger/journal-entries"), As(b_owner_)).Json()["data"].size(); }
};

TEST_F(Ledger, BalancedEntryShowsInTheTrialBalanceWhichSumsToZero) {
    const auto posted = PostEntry(json::array({Line("1000", 2500, 0), Line("4000", 0, 2100), Line("2200", 0, 400)}));
    ASSERT_EQ(posted.status, 201) << posted.body;
    EXPECT_EQ(posted.Json()["lines"].size(), 3u);
    EXPECT_EQ(posted.Json()["source_type"], "manual");
    const auto got = http_.Get(Url("/ledger/journal-entries/" + posted.Json()["id"].get<std::string>()), As(b_owner_));
    ASSERT_EQ(got.status, 200) << got.body;
    const json tb = http_.Get(Url("/ledger/trial-balance"), As(b_owner_)).Json();
    int64_t sum = 0;
    std::map<std::string, int64_t> balance;
    for (const auto& a : tb["accounts"]) {
        sum += a["balance"].get<int64_t>();
        balance[a["account_code"]] += a["balance"].get<int64_t>();
    }
    EXPECT_EQ(sum, 0) << tb.dump();
    EXPECT_GE(balance["1000"], 2500);
    EXPECT_EQ(tb["totals"][0]["balance"], 0);
    const json old = http_.Get(Url("/ledger/trial-balance?as_of=2000-01-01"), As(b_owner_)).Json();
    EXPECT_TRUE(old["accounts"].empty()) << old.dump();
}

TEST_F(Ledger, InvalidEntriesAre422AndWriteNothing) {
    const size_t before = EntryCount();
    EXPECT_EQ(PostEntry(json::array({Line("1000", 100, 0), Line("4000", 0, 99)})).status, 422);
    EXPECT_EQ(PostEntry(json::array({Line("1000", 100, 0)})).status, 422);
    EXPECT_EQ(PostEntry(json::array({Line("1000", -100, 0), Line("4000", 0, -100)})).status, 422);
    EXPECT_EQ(PostEntry(json::array({Line("1000", 100, 0), Line("9999", 0, 100)})).status, 422);
    EXPECT_EQ(PostEntry(json::array({Line("1000", 100, 100), Line("4000", 0, 0)})).status, 422);
    const auto overflow = PostEntry(
        json::array({Line("1000", INT64_MAX, 0), Line("1010", 1, 0), Line("4000", 0, INT64_MAX), Line("4900", 0, 1)}));
    EXPECT_EQ(overflow.status, 422) << overflow.body;
    EXPECT_EQ(EntryCount(), before);
}

TEST_F(Ledger, ClosedMonthRefusesPostingsUntilReopened) {
    const json lines = json::array({Line("1010", 500, 0), Line("4000", 0, 500)});
    const json in_march = {{"posted_at", "2021-03-15T10:00:00Z"}};
    ASSERT_EQ(http_.Post(Url("/ledger/periods/2021-03/close"), "", As(b_owner_)).status, 200);
    EXPECT_EQ(http_.Post(Url("/ledger/periods/2021-03/close"), "", As(b_owner_)).status, 409);
    EXPECT_EQ(http_.Post(Url("/ledger/periods/2021-13/close"), "", As(b_owner_)).status, 404);
    EXPECT_EQ(PostEntry(lines, in_march).status, 409);
    ASSERT_EQ(http_.Post(Url("/ledger/periods/2021-03/reopen"), "", As(b_owner_)).status, 200);
    EXPECT_EQ(PostEntry(lines, in_march).status, 201);
    EXPECT_EQ(http_.Get(Url("/ledger/periods"), As(b_owner_)).Json()["data"][0]["month"], "2021-03");
}

TEST_F(Ledger, StatementShowsTheRunningBalance) {
    ASSERT_EQ(
        PostEntry(json::array({Line("6100", 300, 0), Line("1010", 0, 300)}), {{"posted_at", "2022-05-01T00:00:00Z"}})
            .status,
        201);
    ASSERT_EQ(
        PostEntry(json::array({Line("6100", 200, 0), Line("1010", 0, 200)}), {{"posted_at", "2022-05-02T00:00:00Z"}})
            .status,
        201);
    ASSERT_EQ(
        PostEntry(json::array({Line("1010", 100, 0), Line("6100", 0, 100)}), {{"posted_at", "2022-05-03T00:00:00Z"}})
            .status,
        201);
    const auto r = http_.Get(Url("/ledger/accounts/6100/statement?from=2022-05-01&until=2022-05-31"), As(b_owner_));
    ASSERT_EQ(r.status, 200) << r.body;
    const json lines = r.Json()["lines"];
    ASSERT_EQ(lines.size(), 3u) << r.body;
    EXPECT_EQ(lines[0]["balance"], 300);
    EXPECT_EQ(lines[1]["balance"], 500);
    EXPECT_EQ(lines[2]["balance"], 400);
    EXPECT_EQ(http_.Get(Url("/ledger/accounts/7777/statement"), As(b_owner_)).status, 404);
}

}  // namespace
}  // namespace kiln::testing
