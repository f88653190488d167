// The books a bookkeeper keeps over the API: the tenant's own chart of accounts (create, rename, regroup,
// deactivate; never delete what has postings), the accounts each kind of posting goes to, profit and loss and the
// balance sheet (JSON and CSV, with a comparison), and the year-end close into retained earnings.
#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class LedgerBooks : public ApiTest {
  protected:
    static json Line(const std::string& account, int64_t debit, int64_t credit) {
        return {{"account_code", account}, {"debit", debit}, {"credit", credit}};
    }
    HttpResponse Post(const std::string& token, json lines, const std::string& at) {
        return http_.Post(Url("/ledger/journal-entries"),
                          json{{"currency", "EUR"}, {"lines", std::move(lines)}, {"posted_at", at}}, As(token));
    }
    json Account(const std::string& token, const std::string& code) {
        const json accounts = http_.Get(Url("/ledger/accounts"), As(token)).Json()["data"];
        for (const auto& a : accounts)
            if (a["code"] == code) return a;
        return nullptr;
    }
    /// The server's today, shifted by `days`, as YYYY-MM-DD.
    std::string Day(int days) {
        const std::string today =
            http_.Get(Url("/ledger/trial-balance"), As(a_owner_)).Json()["as_of"].get<std::string>();
        const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(today.substr(0, 4))},
                                              std::chrono::month{static_cast<unsigned>(std::stoi(today.substr(5, 2)))},
                                              std::chrono::day{static_cast<unsigned>(std::stoi(today.substr(8, 2)))}};
        const std::chrono::year_month_day shifted{std::chrono::sys_days{ymd} + std::chrono::days{days}};
        char out[16];
        std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(shifted.year()),
                      static_cast<unsigned>(shifted.month()), static_cast<unsigned>(shifted.day()));
        return out;
    }
    /// An issued EUR invoice of `customer` for `amount`, due on `due_day` (YYYY-MM-DD).
    json IssuedDue(const std::string& customer, int64_t amount, const std::string& due_day) {
        const json line = {{"description", "Work"}, {"quantity", 1}, {"unit_price", amount}, {"tax_rate_bp", 0}};
        const json invoice = Created(http_.Post(
            Url("/invoices"),
            json{{"customer_id", customer}, {"currency", "EUR"}, {"due_at", due_day + "T00:00:00Z"}, {"lines", {line}}},
            As(a_owner_)));
        const auto issued =
            http_.Post(Url("/invoices/" + invoice["id"].get<std::string>() + "/issue"), "", As(a_owner_));
        EXPECT_EQ(issued.status, 200) << issued.body;
        return issued.Json();
    }
    /// The amount of `code` in `section` of the first currency of a statement; 0 when the account is not there.
    static int64_t AmountOf(const json& statement, const std::string& section, const json& code) {
        for (const auto& line : statement[section]["lines"])
            if (line["account_code"] == code) return line["amount"];
        return 0;
    }
};

TEST_F(LedgerBooks, TheTenantKeepsItsOwnChartOfAccounts) {
    const json seeded = http_.Get(Url("/ledger/accounts"), As(b_owner_)).Json()["data"];
    std::set<std::string> codes;
    for (const auto& a : seeded) codes.insert(a["code"]);
    for (const char* code :
         {"1000", "1010", "1200", "1300", "2000", "2200", "3000", "3900", "4000", "4900", "5000", "6100", "6900"})
        EXPECT_TRUE(codes.contains(code)) << code << " missing from " << seeded.dump();
    EXPECT_EQ(Account(b_owner_, "3900")["type"], "equity");

    const json rent = {{"code", "6200"}, {"name", "Rent"}, {"type", "expense"}, {"parent_code", "6900"}};
    const auto created = http_.Post(Url("/ledger/accounts"), rent, As(b_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json()["parent_code"], "6900");
    EXPECT_EQ(created.Json()["is_active"], true);
    EXPECT_EQ(http_.Post(Url("/ledger/accounts"), rent, As(b_owner_)).status, 409);
    EXPECT_EQ(FieldErrors(http_.Post(
                  Url("/ledger/accounts"),
                  json{{"code", "6201"}, {"name", "Odd"}, {"type", "expense"}, {"parent_code", "1000"}}, As(b_owner_))),
              std::vector<std::string>{"parent_code"});
    EXPECT_EQ(FieldErrors(http_.Post(Url("/ledger/accounts"), json{{"code", "a b"}, {"name", "x"}, {"type", "asset"}},
                                     As(b_owner_))),
              std::vector<std::string>{"code"});
    // A group cannot be put under one of its own members.
    EXPECT_EQ(FieldErrors(http_.Put(Url("/ledger/accounts/6900"), json{{"parent_code", "6200"}}, As(b_owner_))),
              std::vector<std::string>{"parent_code"});
    // The other tenant's chart does not have it.
    EXPECT_TRUE(Account(a_owner_, "6200").is_null());
    EXPECT_EQ(http_.Put(Url("/ledger/accounts/6200"), json{{"name", "Stolen"}}, As(a_owner_)).status, 404);

    const auto renamed = http_.Put(Url("/ledger/accounts/6200"), json{{"name", "Office rent"}}, As(b_owner_));
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(renamed.Json()["name"], "Office rent");
    ASSERT_EQ(Post(b_owner_, json::array({Line("6200", 900, 0), Line("1010", 0, 900)}), "2020-02-01T00:00:00Z").status,
              201);
    // Postings keep an account: it can only be deactivated, and then takes no more.
    EXPECT_EQ(http_.Delete(Url("/ledger/accounts/6200"), As(b_owner_)).status, 409);
    ASSERT_EQ(http_.Put(Url("/ledger/accounts/6200"), json{{"is_active", false}}, As(b_owner_)).status, 200);
    const auto refused =
        Post(b_owner_, json::array({Line("6200", 100, 0), Line("1010", 0, 100)}), "2020-02-02T00:00:00Z");
    EXPECT_EQ(FieldErrors(refused), std::vector<std::string>{"lines[0].account_code"}) << refused.body;
    EXPECT_EQ(Account(b_owner_, "6200")["is_active"], false);

    ASSERT_EQ(http_
                  .Post(Url("/ledger/accounts"), json{{"code", "6300"}, {"name", "Unused"}, {"type", "expense"}},
                        As(b_owner_))
                  .status,
              201);
    EXPECT_EQ(http_.Delete(Url("/ledger/accounts/6300"), As(b_owner_)).status, 204);
    EXPECT_TRUE(Account(b_owner_, "6300").is_null());
    EXPECT_EQ(http_.Delete(Url("/ledger/accounts/6900"), As(b_owner_)).status, 409);  // the default chart's
}

TEST_F(LedgerBooks, AViewerReadsTheBooksButChangesNothing) {
    const std::string email = "books-viewer@beta.test";
    AddMember(b_owner_, "beta", email, "viewer");
    const std::string viewer = Login(email, kMemberPassword);
    EXPECT_EQ(http_.Get(Url("/ledger/accounts"), As(viewer)).status, 200);
    EXPECT_EQ(http_.Get(Url("/ledger/reports/balance-sheet"), As(viewer)).status, 200);
    EXPECT_EQ(
        http_.Post(Url("/ledger/accounts"), json{{"code", "7000"}, {"name", "x"}, {"type", "expense"}}, As(viewer))
            .status,
        403);
    EXPECT_EQ(http_.Put(Url("/ledger/settings"), json{{"posting_accounts", {{"revenue", "4900"}}}}, As(viewer)).status,
              403);
    EXPECT_EQ(http_.Post(Url("/ledger/year-end-close"), json{{"year", 2019}}, As(viewer)).status, 403);
}

TEST_F(LedgerBooks, PostingsGoToTheAccountsTheSettingsName) {
    const json defaults = http_.Get(Url("/ledger/settings"), As(a_owner_)).Json()["posting_accounts"];
    EXPECT_EQ(defaults["revenue"], "4000");
    EXPECT_EQ(defaults["retained_earnings"], "3900");
    ASSERT_EQ(http_
                  .Post(Url("/ledger/accounts"),
                        json{{"code", "4100"}, {"name", "Service revenue"}, {"type", "revenue"}}, As(a_owner_))
                  .status,
              201);
    EXPECT_EQ(FieldErrors(
                  http_.Put(Url("/ledger/settings"), json{{"posting_accounts", {{"revenue", "1000"}}}}, As(a_owner_))),
              std::vector<std::string>{"revenue"});
    EXPECT_EQ(FieldErrors(
                  http_.Put(Url("/ledger/settings"), json{{"posting_accounts", {{"revenue", "9999"}}}}, As(a_owner_))),
              std::vector<std::string>{"revenue"});
    const auto set =
        http_.Put(Url("/ledger/settings"), json{{"posting_accounts", {{"revenue", "4100"}}}}, As(a_owner_));
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(set.Json()["posting_accounts"]["revenue"], "4100");
    EXPECT_EQ(set.Json()["posting_accounts"]["tax_payable"], "2200");
    // The other tenant's settings did not move.
    EXPECT_EQ(http_.Get(Url("/ledger/settings"), As(b_owner_)).Json()["posting_accounts"]["revenue"], "4000");
    // An account that takes postings cannot be deactivated.
    EXPECT_EQ(http_.Put(Url("/ledger/accounts/4100"), json{{"is_active", false}}, As(a_owner_)).status, 409);

    const json customer = Created(http_.Post(Url("/customers"), json{{"name", "Books Customer"}}, As(a_owner_)));
    const json invoice = IssueInvoice(customer["id"], 7000, "EUR", "Consulting");
    const json entries =
        http_
            .Get(Url("/ledger/journal-entries?source_type=invoice&source_id=" + invoice["id"].get<std::string>()),
                 As(a_owner_))
            .Json()["data"];
    ASSERT_EQ(entries.size(), 1u) << entries.dump();
    std::map<std::string, int64_t> credits;
    for (const auto& line : entries[0]["lines"]) credits[line["account_code"]] += line["credit"].get<int64_t>();
    EXPECT_EQ(credits["4100"], 7000) << entries.dump();
    EXPECT_EQ(credits["4000"], 0);
    ASSERT_EQ(
        http_.Put(Url("/ledger/settings"), json{{"posting_accounts", {{"revenue", "4000"}}}}, As(a_owner_)).status,
        200);
}

TEST_F(LedgerBooks, ProfitAndLossAndBalanceSheetOfAYearThenItsClose) {
    // 2019 in tenant B: the owner puts in capital, sells (with tax), pays an expense.
    ASSERT_EQ(
        Post(b_owner_, json::array({Line("1010", 100000, 0), Line("3000", 0, 100000)}), "2019-01-05T09:00:00Z").status,
        201);
    ASSERT_EQ(Post(b_owner_, json::array({Line("1200", 59000, 0), Line("4000", 0, 50000), Line("2200", 0, 9000)}),
                   "2019-06-10T09:00:00Z")
                  .status,
              201);
    ASSERT_EQ(
        Post(b_owner_, json::array({Line("6900", 20000, 0), Line("1010", 0, 20000)}), "2019-09-01T09:00:00Z").status,
        201);

    const auto pnl = http_.Get(Url("/ledger/reports/profit-and-loss?from=2019-01-01&until=2019-12-31&compare=previous"),
                               As(b_owner_));
    ASSERT_EQ(pnl.status, 200) << pnl.body;
    const json year = pnl.Json()["currencies"][0];
    EXPECT_EQ(year["currency"], "EUR");
    EXPECT_EQ(year["income"]["total"], 50000) << pnl.body;
    EXPECT_EQ(year["expenses"]["total"], 20000);
    EXPECT_EQ(year["net_income"], 30000);
    EXPECT_EQ(pnl.Json()["previous"]["from"], "2018-01-01") << pnl.body;
    EXPECT_TRUE(pnl.Json()["previous"]["currencies"].empty()) << pnl.body;

    const auto sheet = http_.Get(Url("/ledger/reports/balance-sheet?as_of=2019-12-31"), As(b_owner_));
    ASSERT_EQ(sheet.status, 200) << sheet.body;
    const json eur = sheet.Json()["currencies"][0];
    EXPECT_EQ(eur["assets"]["total"], 139000) << sheet.body;
    EXPECT_EQ(AmountOf(eur, "assets", "1010"), 80000);
    EXPECT_EQ(eur["liabilities"]["total"], 9000);
    EXPECT_EQ(AmountOf(eur, "equity", nullptr), 30000);  // current earnings, not closed yet
    EXPECT_EQ(eur["liabilities_and_equity"], 139000);
    EXPECT_EQ(eur["balanced"], true);

    const auto csv = http_.Get(Url("/ledger/reports/profit-and-loss?from=2019-01-01&until=2019-12-31"), [&] {
        auto headers = As(b_owner_);
        headers.emplace_back("Accept", "text/csv");
        return headers;
    }());
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.Header("content-type").find("text/csv"), std::string::npos);
    EXPECT_EQ(csv.body.rfind("section,account_code,name,currency,amount\r\n", 0), 0u) << csv.body;
    EXPECT_NE(csv.body.find("income,4000,Revenue,EUR,50000\r\n"), std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find("net_income,,Net income,EUR,30000\r\n"), std::string::npos) << csv.body;
    EXPECT_EQ(http_.Get(Url("/ledger/reports/profit-and-loss?from=2019-01-01&format=xml"), As(b_owner_)).status, 422);
    EXPECT_EQ(http_.Get(Url("/ledger/reports/profit-and-loss"), As(b_owner_)).status, 422);

    // The close zeroes revenue and expenses into retained earnings, once.
    const auto closed = http_.Post(Url("/ledger/year-end-close"), json{{"year", 2019}}, As(b_owner_));
    ASSERT_EQ(closed.status, 200) << closed.body;
    ASSERT_EQ(closed.Json()["entries"].size(), 1u) << closed.body;
    std::map<std::string, std::pair<int64_t, int64_t>> lines;
    const json closing = closed.Json()["entries"][0];
    for (const auto& line : closing["lines"]) lines[line["account_code"]] = {line["debit"], line["credit"]};
    EXPECT_EQ(lines["4000"], std::make_pair(int64_t{50000}, int64_t{0})) << closed.body;
    EXPECT_EQ(lines["6900"], std::make_pair(int64_t{0}, int64_t{20000}));
    EXPECT_EQ(lines["3900"], std::make_pair(int64_t{0}, int64_t{30000}));
    const auto again = http_.Post(Url("/ledger/year-end-close"), json{{"year", 2019}}, As(b_owner_));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(again.Json()["entries"].empty()) << again.body;  // nothing left to close

    const json after = http_.Get(Url("/ledger/reports/balance-sheet?as_of=2019-12-31"), As(b_owner_)).Json();
    const json closed_eur = after["currencies"][0];
    EXPECT_EQ(AmountOf(closed_eur, "equity", "3900"), 30000) << after.dump();
    EXPECT_EQ(AmountOf(closed_eur, "equity", nullptr), 0);
    EXPECT_EQ(closed_eur["balanced"], true);
    // The year's profit and loss still shows the year, not its close.
    const json pnl_after =
        http_.Get(Url("/ledger/reports/profit-and-loss?from=2019-01-01&until=2019-12-31"), As(b_owner_)).Json();
    EXPECT_EQ(pnl_after["currencies"][0]["net_income"], 30000) << pnl_after.dump();
    // Tenant A's books know nothing of it.
    EXPECT_TRUE(
        http_.Get(Url("/ledger/reports/balance-sheet?as_of=2019-12-31"), As(a_owner_)).Json()["currencies"].empty());
}

TEST_F(LedgerBooks, AgedReceivablesBucketWhatEachCustomerOwesByDaysOverdue) {
    const json late = Created(http_.Post(Url("/customers"), json{{"name", "Aged Late Ltd"}}, As(a_owner_)));
    const json prompt = Created(http_.Post(Url("/customers"), json{{"name", "Aged Prompt Ltd"}}, As(a_owner_)));
    IssuedDue(late["id"], 1000, Day(10));                         // not yet due
    IssuedDue(late["id"], 2000, Day(-10));                        // 1–30
    IssuedDue(late["id"], 4000, Day(-45));                        // 31–60
    IssuedDue(late["id"], 8000, Day(-75));                        // 61–90
    const json oldest = IssuedDue(late["id"], 16000, Day(-120));  // over 90
    ASSERT_EQ(http_
                  .Post(Url("/payments"),
                        json{{"invoice_id", oldest["id"]}, {"amount", 6000}, {"currency", "EUR"}, {"method", "cash"}},
                        As(a_owner_))
                  .status,
              201);
    IssuedDue(prompt["id"], 500, Day(0));  // due today: current

    const auto r = http_.Get(Url("/ledger/reports/aged-receivables"), As(a_owner_));
    ASSERT_EQ(r.status, 200) << r.body;
    const json report = r.Json();
    std::map<std::string, json> rows;
    for (const auto& row : report["customers"]) rows[row["customer_name"]] = row;
    const json& row = rows["Aged Late Ltd"];
    EXPECT_EQ(row["current"], 1000) << r.body;
    EXPECT_EQ(row["days_1_30"], 2000);
    EXPECT_EQ(row["days_31_60"], 4000);
    EXPECT_EQ(row["days_61_90"], 8000);
    EXPECT_EQ(row["days_over_90"], 10000);  // 16000 less the 6000 paid
    EXPECT_EQ(row["total"], 25000);
    EXPECT_EQ(rows["Aged Prompt Ltd"]["current"], 500);
    EXPECT_EQ(rows["Aged Prompt Ltd"]["total"], 500);

    // A month on, everything has aged by 30 days.
    const json later = http_.Get(Url("/ledger/reports/aged-receivables?as_of=" + Day(30)), As(a_owner_)).Json();
    for (const auto& aged : later["customers"])
        if (aged["customer_name"] == "Aged Late Ltd") {
            EXPECT_EQ(aged["current"], 0) << later.dump();
            EXPECT_EQ(aged["days_1_30"], 1000);
            EXPECT_EQ(aged["days_31_60"], 2000);
            EXPECT_EQ(aged["days_61_90"], 4000);
            EXPECT_EQ(aged["days_over_90"], 18000);
        }

    auto csv_headers = As(a_owner_);
    const auto csv = http_.Get(Url("/ledger/reports/aged-receivables?format=csv"), csv_headers);
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.body.rfind("customer_id,customer_name,currency,current,days_1_30,days_31_60,days_61_90,days_over_90,"
                             "total\r\n",
                             0),
              0u)
        << csv.body;
    EXPECT_NE(csv.body.find(late["id"].get<std::string>() + ",Aged Late Ltd,EUR,1000,2000,4000,8000,10000,25000\r\n"),
              std::string::npos)
        << csv.body;
    // The other tenant owes nothing of it, and sees none of A's customers.
    const json other = http_.Get(Url("/ledger/reports/aged-receivables"), As(b_owner_)).Json();
    EXPECT_TRUE(other["customers"].empty()) << other.dump();
}

}  // namespace
}  // namespace kiln::testing
