// Payments and refunds racing for one invoice (issue 12, item 7). At PostgreSQL's READ COMMITTED,
// two payments that read the same amount due could both fit in it, and two refunds that read the
// same succeeded payment could both unsettle it. Fired at once through the API, the storm must
// leave amount_paid at most the total and equal to what the succeeded payments add up to, one
// refund per payment, and a ledger that balances. Runs on both backends.
#include <latch>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class PaymentConcurrency : public ApiTest {
  protected:
    void SetUp() override {
        customer_ = Created(http_.Post(Url("/customers"), json{{"name", "Storm Customer"}}, As(a_owner_)))["id"];
    }

    json IssuedInvoice(int64_t amount) { return IssueInvoice(customer_, amount, "EUR", "Storm"); }

    json Invoice(const std::string& id) { return http_.Get(Url("/invoices/" + id), As(a_owner_)).Json(); }

    /// Sends `n` requests at once (one thread and connection each, released together); their responses.
    static std::vector<HttpResponse> AtOnce(size_t n, const std::string& path, const std::string& body) {
        std::vector<HttpResponse> responses(n);
        std::latch ready(static_cast<std::ptrdiff_t>(n));
        std::vector<std::thread> threads;
        for (size_t i = 0; i < n; ++i) {
            threads.emplace_back([&, i] {
                HttpClient http;
                http.Get(Url("/health/live"));  // connected before the start
                ready.arrive_and_wait();
                responses[i] = http.Post(Url(path), body, As(a_owner_));
            });
        }
        for (auto& thread : threads) thread.join();
        return responses;
    }

    /// Journal entries posted for `source_type` ("payment", "refund") about `source_id`.
    size_t Postings(const std::string& source_type, const std::string& source_id) {
        const auto r = http_.Get(Url("/ledger/journal-entries?source_type=" + source_type + "&source_id=" + source_id),
                                 As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json()["data"].size() : 0;
    }

    void ExpectTrialBalanceBalances() {
        const json tb = http_.Get(Url("/ledger/trial-balance"), As(a_owner_)).Json();
        int64_t sum = 0;
        for (const auto& account : tb["accounts"]) sum += account["balance"].get<int64_t>();
        EXPECT_EQ(sum, 0) << tb.dump();
    }

    std::string customer_;
};

TEST_F(PaymentConcurrency, TwentyPaymentsAtOnceNeverCollectMoreThanTheTotal) {
    const json invoice = IssuedInvoice(1000);
    const std::string id = invoice["id"];
    // Twenty payments of 100 against 1000 due: ten fit, the rest must be refused.
    const auto responses = AtOnce(
        20, "/payments", json{{"invoice_id", id}, {"amount", 100}, {"currency", "EUR"}, {"method", "cash"}}.dump());
    size_t created = 0;
    std::map<long, size_t> statuses;
    for (const auto& response : responses) {
        ++statuses[response.status];
        if (response.status == 201)
            ++created;
        else
            EXPECT_TRUE(response.status == 409 || response.status == 422) << response.status << " " << response.body;
    }
    EXPECT_EQ(created, 10U) << ::testing::PrintToString(statuses);

    const json after = Invoice(id);
    EXPECT_LE(after["amount_paid"].get<int64_t>(), 1000) << after.dump();
    EXPECT_EQ(after["amount_paid"].get<int64_t>(), static_cast<int64_t>(created) * 100) << after.dump();
    EXPECT_EQ(after["status"], created == 10 ? "paid" : "issued");
    const auto listed = http_.Get(Url("/payments?status=succeeded&limit=200&invoice_id=" + id), As(a_owner_));
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json succeeded = listed.Json()["data"];
    EXPECT_EQ(succeeded.size(), created);
    size_t postings = 0;
    for (const auto& payment : succeeded) postings += Postings("payment", payment["id"]);
    EXPECT_EQ(postings, created);
    ExpectTrialBalanceBalances();
}

TEST_F(PaymentConcurrency, TenRefundsAtOnceRefundThePaymentOnce) {
    const json invoice = IssuedInvoice(700);
    const std::string invoice_id = invoice["id"];
    const json payment = Created(http_.Post(
        Url("/payments"), json{{"invoice_id", invoice_id}, {"amount", 700}, {"currency", "EUR"}, {"method", "cash"}},
        As(a_owner_)));
    const std::string id = payment["id"];
    ASSERT_EQ(Invoice(invoice_id)["status"], "paid");

    const auto responses = AtOnce(10, "/payments/" + id + "/refund", "");
    size_t refunded = 0;
    for (const auto& response : responses) {
        if (response.status == 200)
            ++refunded;
        else
            EXPECT_EQ(response.status, 409) << response.body;
    }
    EXPECT_EQ(refunded, 1U);

    const json after = Invoice(invoice_id);
    EXPECT_EQ(after["amount_paid"], 0) << after.dump();
    EXPECT_EQ(after["status"], "issued");
    EXPECT_EQ(http_.Get(Url("/payments/" + id), As(a_owner_)).Json()["status"], "refunded");
    EXPECT_EQ(Postings("refund", id), 1U);
    ExpectTrialBalanceBalances();
}

// Payments and a void racing for one invoice: either the void wins (no payment is taken) or
// payments do (the void is refused); never a void invoice that has money on it.
TEST_F(PaymentConcurrency, AVoidRacingPaymentsNeverVoidsAPaidAmount) {
    const json invoice = IssuedInvoice(1000);
    const std::string id = invoice["id"];
    std::vector<HttpResponse> payments;
    HttpResponse voided;
    std::thread voider([&] {
        HttpClient http;
        voided = http.Post(Url("/invoices/" + id + "/void"), "", As(a_owner_));
    });
    payments = AtOnce(8, "/payments",
                      json{{"invoice_id", id}, {"amount", 100}, {"currency", "EUR"}, {"method", "cash"}}.dump());
    voider.join();
    size_t created = 0;
    for (const auto& response : payments)
        if (response.status == 201) ++created;
    const json after = Invoice(id);
    EXPECT_EQ(after["amount_paid"].get<int64_t>(), static_cast<int64_t>(created) * 100) << after.dump();
    if (after["status"] == "void") {
        EXPECT_EQ(after["amount_paid"], 0) << after.dump();
    } else {
        EXPECT_EQ(voided.status, 409) << voided.body;
    }
    ExpectTrialBalanceBalances();
}

}  // namespace
}  // namespace kiln::testing
