// Invoices and payments over the API: invoicing a confirmed order, issuing (posted to the ledger),
// partial payments up to paid, refunds, and the refusals that must write nothing.
#include <gmock/gmock.h>

#include <map>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Billing : public ApiTest {
  protected:
    void SetUp() override {
        customer_ = Created(http_.Post(Url("/customers"), json{{"name", "Billing Customer"}}, As(a_owner_)))["id"];
        product_ = Created(http_.Post(Url("/products"),
                                      json{{"sku", "BILL-" + std::to_string(++counter_)},
                                           {"name", "Widget"},
                                           {"unit_price", 1999},
                                           {"currency", "EUR"}},
                                      As(a_owner_)))["id"];
    }
    /// A confirmed order: 3 × 19.99 at 18% and 1 × 0.05 at 10% → subtotal 6002, tax 1080, total 7082.
    std::string ConfirmedOrder(const std::string& token = a_owner_, const std::string& customer = "",
                               const std::string& product = "") {
        const json order = Created(http_.Post(
            Url("/sales-orders"),
            json{{"customer_id", customer.empty() ? customer_ : customer},
                 {"currency", "EUR"},
                 {"lines",
                  {{{"product_id", product.empty() ? product_ : product}, {"quantity", 3}, {"tax_rate_bp", 1800}},
                   {{"product_id", product.empty() ? product_ : product},
                    {"quantity", 1},
                    {"unit_price", 5},
                    {"tax_rate_bp", 1000}}}}},
            As(token)));
        EXPECT_EQ(http_.Post(Url("/sales-orders/" + order["id"].get<std::string>() + "/confirm"), "", As(token)).status,
                  200);
        return order["id"];
    }
    json ManualInvoice(int64_t price = 1000) {
        return Created(http_.Post(
            Url("/invoices"),
            json{{"customer_id", customer_},
                 {"currency", "EUR"},
                 {"lines",
                  {{{"description", "Consulting"}, {"quantity", 1}, {"unit_price", price}, {"tax_rate_bp", 0}}}}},
            As(a_owner_)));
    }
    HttpResponse Act(const std::string& path) { return http_.Post(Url(path), "", As(a_owner_)); }
    HttpResponse Pay(const std::string& invoice, int64_t amount, const std::string& method = "cash",
                     const std::string& currency = "EUR") {
        return http_.Post(Url("/payments"),
                          json{{"invoice_id", invoice}, {"amount", amount}, {"currency", currency}, {"method", method}},
                          As(a_owner_));
    }
    json Invoice(const std::string& id) { return http_.Get(Url("/invoices/" + id), As(a_owner_)).Json(); }
    /// EUR balance (debit − credit) per account, and the EUR total balance under "total".
    std::map<std::string, int64_t> Balances() {
        const auto r = http_.Get(Url("/ledger/trial-balance"), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, int64_t> out;
        const json tb = r.Json();
        for (const auto& a : tb["accounts"])
            if (a["currency"] == "EUR") out[a["account_code"]] = a["balance"];
        for (const auto& t : tb["totals"])
            if (t["currency"] == "EUR") out["total"] = t["balance"];
        return out;
    }
    size_t JournalEntries() {
        const auto r = http_.Get(Url("/ledger/journal-entries?limit=200"), As(a_owner_));
        return r.status == 200 ? r.Json()["data"].size() : 0;
    }
    static int64_t Delta(std::map<std::string, int64_t>& after, std::map<std::string, int64_t>& before,
                         const std::string& code) {
        return after[code] - before[code];
    }

    static inline int counter_ = 0;
    std::string customer_, product_;
};

TEST_F(Billing, OrderToPaidInvoiceBalancesTheLedger) {
    auto before = Balances();
    const std::string order = ConfirmedOrder();
    const json invoice = Created(http_.Post(Url("/invoices"), json{{"sales_order_id", order}}, As(a_owner_)));
    const std::string id = invoice["id"];
    EXPECT_THAT(invoice["number"].get<std::string>(), ::testing::MatchesRegex("INV-[0-9]{6}"));
    EXPECT_EQ(invoice["status"], "draft");
    EXPECT_EQ(invoice["customer_id"], customer_);
    EXPECT_EQ(invoice["sales_order_id"], order);
    EXPECT_EQ(invoice["subtotal"], 6002);
    EXPECT_EQ(invoice["tax_total"], 1080);
    EXPECT_EQ(invoice["total"], 7082);
    EXPECT_EQ(invoice["amount_due"], 7082);
    ASSERT_EQ(invoice["lines"].size(), 2U);
    EXPECT_EQ(invoice["lines"][0]["line_tax"], 1079);

    // A draft takes no payments and posts nothing.
    EXPECT_EQ(Pay(id, 100).status, 409);
    const auto issued = Act("/invoices/" + id + "/issue");
    ASSERT_EQ(issued.status, 200) << issued.body;
    EXPECT_EQ(issued.Json()["status"], "issued");
    EXPECT_NE(issued.Json()["issued_at"], nullptr);
    EXPECT_EQ(Act("/invoices/" + id + "/issue").status, 409);
    EXPECT_EQ(http_.Put(Url("/invoices/" + id), json{{"notes", "x"}}, As(a_owner_)).status, 409);
    EXPECT_EQ(http_.Delete(Url("/invoices/" + id), As(a_owner_)).status, 409);

    const auto first = Pay(id, 2000, "cash");
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.Json()["status"], "succeeded");
    EXPECT_EQ(first.Json()["gateway"], "manual");
    EXPECT_EQ(Invoice(id)["amount_due"], 5082);
    EXPECT_EQ(Invoice(id)["status"], "partially_paid");
    const auto second = Pay(id, 5082, "bank_transfer");
    ASSERT_EQ(second.status, 201) << second.body;
    const json paid = Invoice(id);
    EXPECT_EQ(paid["status"], "paid");
    EXPECT_EQ(paid["amount_paid"], 7082);
    EXPECT_EQ(paid["amount_due"], 0);

    auto after = Balances();
    EXPECT_EQ(after["total"], 0);
    EXPECT_EQ(Delta(after, before, "1200"), 0);
    EXPECT_EQ(Delta(after, before, "4000"), -6002);
    EXPECT_EQ(Delta(after, before, "2200"), -1080);
    EXPECT_EQ(Delta(after, before, "1000"), 2000);
    EXPECT_EQ(Delta(after, before, "1010"), 5082);

    const json listed = http_.Get(Url("/payments?invoice_id=" + id), As(a_owner_)).Json();
    EXPECT_EQ(listed["data"].size(), 2U);
    EXPECT_EQ(http_.Get(Url("/payments?status=succeeded&invoice_id=" + id), As(a_owner_)).Json()["data"].size(), 2U);

    for (const std::string type : {"invoice.created", "invoice.issued", "invoice.updated", "invoice.paid"}) {
        const auto events = http_.Get(Url("/events?limit=50&type=" + type), As(a_owner_));
        ASSERT_EQ(events.status, 200) << events.body;
        int found = 0;
        const json page = events.Json();
        for (const auto& e : page["data"])
            if (e["data"]["invoice"]["id"] == id) ++found;
        EXPECT_EQ(found, 1) << type << " " << events.body.substr(0, 500);
    }
}

TEST_F(Billing, OverpaymentIsRefusedAndWritesNothing) {
    const std::string id = ManualInvoice(1000)["id"];
    ASSERT_EQ(Act("/invoices/" + id + "/issue").status, 200);
    const auto entries = JournalEntries();
    auto before = Balances();
    const auto over = Pay(id, 1001);
    EXPECT_EQ(over.status, 422) << over.body;
    EXPECT_THAT(FieldErrors(over), ::testing::ElementsAre("amount"));
    EXPECT_EQ(Pay(id, 1000, "cash", "USD").status, 422);
    EXPECT_EQ(Invoice(id)["amount_due"], 1000);
    EXPECT_EQ(JournalEntries(), entries);
    EXPECT_EQ(Balances(), before);
    EXPECT_TRUE(http_.Get(Url("/payments?invoice_id=" + id), As(a_owner_)).Json()["data"].empty());
}

TEST_F(Billing, DraftAndVoidInvoicesTakeNoPayments) {
    const std::string draft = ManualInvoice()["id"];
    EXPECT_EQ(Pay(draft, 100).status, 409);
    auto before = Balances();
    const std::string voided = ManualInvoice()["id"];
    ASSERT_EQ(Act("/invoices/" + voided + "/issue").status, 200);
    const auto v = Act("/invoices/" + voided + "/void");
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.Json()["status"], "void");
    EXPECT_EQ(Pay(voided, 100).status, 409);
    auto after = Balances();  // issued then reversed
    EXPECT_EQ(Delta(after, before, "1200"), 0);
    EXPECT_EQ(Delta(after, before, "4000"), 0);
    EXPECT_EQ(Act("/invoices/" + voided + "/void").status, 409);
    EXPECT_EQ(http_.Delete(Url("/invoices/" + draft), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Get(Url("/invoices/" + draft), As(a_owner_)).status, 404);
}

TEST_F(Billing, RefundRestoresTheAmountDue) {
    const std::string id = ManualInvoice(2500)["id"];
    ASSERT_EQ(Act("/invoices/" + id + "/issue").status, 200);
    auto before = Balances();
    const auto payment = Pay(id, 2500, "card");
    ASSERT_EQ(payment.status, 201) << payment.body;
    ASSERT_EQ(Invoice(id)["status"], "paid");
    const std::string pid = payment.Json()["id"];
    // Paid invoices cannot be voided while the payment stands.
    EXPECT_EQ(Act("/invoices/" + id + "/void").status, 409);
    const auto refund = Act("/payments/" + pid + "/refund");
    ASSERT_EQ(refund.status, 200) << refund.body;
    EXPECT_EQ(refund.Json()["status"], "refunded");
    EXPECT_EQ(Act("/payments/" + pid + "/refund").status, 409);
    const json inv = Invoice(id);
    EXPECT_EQ(inv["status"], "issued");
    EXPECT_EQ(inv["amount_due"], 2500);
    auto after = Balances();
    EXPECT_EQ(after["total"], 0);
    EXPECT_EQ(Delta(after, before, "1010"), 0);
    EXPECT_EQ(Delta(after, before, "1200"), 0);
    EXPECT_EQ(http_.Get(Url("/payments/" + pid), As(a_owner_)).Json()["status"], "refunded");
    // Nothing paid any more: it can be voided now.
    EXPECT_EQ(Act("/invoices/" + id + "/void").status, 200);
}

TEST_F(Billing, AnOrderHasOneInvoiceThatIsNotVoid) {
    const std::string order = ConfirmedOrder();
    const json first = Created(http_.Post(Url("/invoices"), json{{"sales_order_id", order}}, As(a_owner_)));
    EXPECT_EQ(http_.Post(Url("/invoices"), json{{"sales_order_id", order}}, As(a_owner_)).status, 409);
    ASSERT_EQ(Act("/invoices/" + first["id"].get<std::string>() + "/void").status, 200);
    Created(http_.Post(Url("/invoices"), json{{"sales_order_id", order}}, As(a_owner_)));
    // A draft order is not invoiced.
    const json draft = Created(http_.Post(
        Url("/sales-orders"),
        json{{"customer_id", customer_}, {"currency", "EUR"}, {"lines", {{{"product_id", product_}, {"quantity", 1}}}}},
        As(a_owner_)));
    EXPECT_EQ(http_.Post(Url("/invoices"), json{{"sales_order_id", draft["id"]}}, As(a_owner_)).status, 409);
}

TEST_F(Billing, ForeignIdsReadLikeMissingOnes) {
    const std::string b_customer =
        Created(http_.Post(Url("/customers"), json{{"name", "B customer"}}, As(b_owner_)))["id"];
    const std::string b_product = Created(
        http_.Post(Url("/products"), json{{"sku", "B-BILL"}, {"name", "B"}, {"unit_price", 100}, {"currency", "EUR"}},
                   As(b_owner_)))["id"];
    const std::string b_order = ConfirmedOrder(b_owner_, b_customer, b_product);
    const json b_invoice = Created(http_.Post(Url("/invoices"), json{{"sales_order_id", b_order}}, As(b_owner_)));
    const std::string b_id = b_invoice["id"];
    ASSERT_EQ(http_.Post(Url("/invoices/" + b_id + "/issue"), "", As(b_owner_)).status, 200);

    const auto order = http_.Post(Url("/invoices"), json{{"sales_order_id", b_order}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(order), ::testing::ElementsAre("sales_order_id"));
    EXPECT_EQ(order.body.find(b_order), std::string::npos);
    const auto customer = http_.Post(Url("/invoices"),
                                     json{{"customer_id", b_customer},
                                          {"currency", "EUR"},
                                          {"lines", {{{"description", "x"}, {"quantity", 1}, {"unit_price", 1}}}}},
                                     As(a_owner_));
    EXPECT_THAT(FieldErrors(customer), ::testing::ElementsAre("customer_id"));
    EXPECT_EQ(http_.Get(Url("/invoices/" + b_id), As(a_owner_)).status, 404);
    EXPECT_EQ(Act("/invoices/" + b_id + "/void").status, 404);
    const auto pay = Pay(b_id, 1);
    EXPECT_THAT(FieldErrors(pay), ::testing::ElementsAre("invoice_id"));
    EXPECT_EQ(http_.Get(Url("/invoices/" + b_id), As(b_owner_)).Json()["amount_paid"], 0);
}

TEST_F(Billing, CreditNotesTakeLinesOffAnInvoiceAndPartialRefundsPayBackParts) {
    // 3 × 333 at 18% tax: line tax 180 (999 × 0.18 = 179.82, half up).
    const json line = {{"description", "Widget"}, {"quantity", 3}, {"unit_price", 333}, {"tax_rate_bp", 1800}};
    const json draft = Created(http_.Post(
        Url("/invoices"), json{{"customer_id", customer_}, {"currency", "EUR"}, {"lines", {line}}}, As(a_owner_)));
    const std::string id = draft["id"];
    EXPECT_EQ(http_.Post(Url("/invoices/" + id + "/credit-notes"), json::object(), As(a_owner_)).status, 409);  // draft
    ASSERT_EQ(Act("/invoices/" + id + "/issue").status, 200);
    EXPECT_EQ(Invoice(id)["total"], 1179);

    // One of three: 333 + tax 60 (59.94).
    const auto one = http_.Post(
        Url("/invoices/" + id + "/credit-notes"),
        json{{"lines", json::array({{{"invoice_line", 1}, {"quantity", 1}}})}, {"reason", "Broken"}}, As(a_owner_));
    ASSERT_EQ(one.status, 201) << one.body;
    EXPECT_EQ(one.Json()["total"], 393);
    EXPECT_EQ(one.Json()["tax_total"], 60);
    EXPECT_EQ(Invoice(id)["amount_credited"], 393);
    EXPECT_EQ(Invoice(id)["amount_due"], 786);
    EXPECT_EQ(Invoice(id)["status"], "issued");
    // More than is left of the line, a line that is not there, the other tenant: refused, nothing written.
    EXPECT_EQ(FieldErrors(http_.Post(Url("/invoices/" + id + "/credit-notes"),
                                     json{{"lines", json::array({{{"invoice_line", 1}, {"quantity", 3}},
                                                                 {{"invoice_line", 2}, {"quantity", 1}}})}},
                                     As(a_owner_))),
              (std::vector<std::string>{"lines[0].quantity", "lines[1].invoice_line"}));
    EXPECT_EQ(http_.Post(Url("/invoices/" + id + "/credit-notes"), json::object(), As(b_owner_)).status, 404);
    EXPECT_TRUE(http_.Get(Url("/credit-notes?invoice_id=" + id), As(b_owner_)).Json()["data"].empty());

    // A payment of 500, then crediting the rest of the line (786) would take off more than is due (286).
    ASSERT_EQ(Pay(id, 500).status, 201);
    EXPECT_EQ(Invoice(id)["status"], "partially_paid");
    EXPECT_EQ(http_.Post(Url("/invoices/" + id + "/credit-notes"), json::object(), As(a_owner_)).status, 409);
    const json payment = http_.Get(Url("/payments?invoice_id=" + id), As(a_owner_)).Json()["data"][0];
    // Part of the payment back: 200, then the rest (300) with no amount.
    const auto part = http_.Post(Url("/payments/" + payment["id"].get<std::string>() + "/refund"),
                                 json{{"amount", 200}}, As(a_owner_));
    ASSERT_EQ(part.status, 200) << part.body;
    EXPECT_EQ(part.Json()["status"], "succeeded");
    EXPECT_EQ(part.Json()["refunded_amount"], 200);
    EXPECT_EQ(Invoice(id)["amount_paid"], 300);
    EXPECT_EQ(
        http_
            .Post(Url("/payments/" + payment["id"].get<std::string>() + "/refund"), json{{"amount", 301}}, As(a_owner_))
            .status,
        422);
    const auto rest = Act("/payments/" + payment["id"].get<std::string>() + "/refund");
    ASSERT_EQ(rest.status, 200) << rest.body;
    EXPECT_EQ(rest.Json()["status"], "refunded");
    EXPECT_EQ(rest.Json()["refunded_amount"], 500);
    EXPECT_EQ(Invoice(id)["status"], "issued");

    // Now the rest of the line is credited with the rest of its tax (180 − 60 = 120), and nothing is due.
    const auto all = http_.Post(Url("/invoices/" + id + "/credit-notes"), "", As(a_owner_));
    ASSERT_EQ(all.status, 201) << all.body;
    EXPECT_EQ(all.Json()["tax_total"], 120);
    EXPECT_EQ(all.Json()["total"], 786);
    const json credited = Invoice(id);
    EXPECT_EQ(credited["status"], "credited");
    EXPECT_EQ(credited["amount_due"], 0);
    EXPECT_EQ(http_.Get(Url("/credit-notes?invoice_id=" + id), As(a_owner_)).Json()["data"].size(), 2u);
    EXPECT_EQ(Act("/invoices/" + id + "/void").status, 409);
    // The books: revenue and tax reversed exactly, the receivable back to zero for this invoice.
    int64_t receivable = 0;
    for (const char* source : {"invoice", "credit_note", "payment", "refund"}) {
        const json entries =
            http_.Get(Url("/ledger/journal-entries?limit=200&source_type=" + std::string(source)), As(a_owner_))
                .Json()["data"];
        for (const auto& entry : entries) {
            const bool ours = entry["source_id"] == id || entry["source_id"] == payment["id"] ||
                              entry["source_id"] == one.Json()["id"] || entry["source_id"] == all.Json()["id"];
            if (!ours) continue;
            for (const auto& l : entry["lines"])
                if (l["account_code"] == "1200") receivable += l["debit"].get<int64_t>() - l["credit"].get<int64_t>();
        }
    }
    EXPECT_EQ(receivable, 0);
}

TEST_F(Billing, ListsFilterByCustomerStatusAndDayAndExportEveryPageAsCsv) {
    const json customer =
        Created(http_.Post(Url("/customers"), json{{"name", "Filter, \"Quoted\" Ltd"}}, As(a_owner_)));
    const std::string cid = customer["id"];
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(IssueInvoice(cid, 1000 + i, "EUR", "Filtered " + std::to_string(i))["id"]);
    ASSERT_EQ(Pay(ids[0], 1000).status, 201);
    const std::string today = http_.Get(Url("/ledger/trial-balance"), As(a_owner_)).Json()["as_of"].get<std::string>();

    const auto mine = "/invoices?customer_id=" + cid;
    EXPECT_EQ(
        http_.Get(Url(mine + "&created_from=" + today + "&created_until=" + today), As(a_owner_)).Json()["data"].size(),
        3u);
    EXPECT_TRUE(http_.Get(Url(mine + "&created_until=2020-01-01"), As(a_owner_)).Json()["data"].empty());
    EXPECT_EQ(http_.Get(Url(mine + "&status=paid"), As(a_owner_)).Json()["data"].size(), 1u);
    EXPECT_EQ(http_.Get(Url(mine + "&created_from=2020-02-01&created_until=2020-01-01"), As(a_owner_)).status, 422);
    EXPECT_EQ(http_.Get(Url(mine + "&created_from=yesterday"), As(a_owner_)).status, 422);
    const json payments = http_.Get(Url("/payments?customer_id=" + cid), As(a_owner_)).Json()["data"];
    ASSERT_EQ(payments.size(), 1u) << payments.dump();
    EXPECT_EQ(payments[0]["invoice_id"], ids[0]);
    EXPECT_TRUE(
        http_.Get(Url("/payments?customer_id=" + cid), As(b_owner_)).Json()["data"].empty());  // B has none of them

    // Page size 1: the export still holds every invoice of the filter, in one CSV.
    const auto csv = http_.Get(Url(mine + "&limit=1&format=csv"), As(a_owner_));
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.Header("content-type").find("text/csv"), std::string::npos);
    size_t rows = 0;
    for (size_t at = 0; (at = csv.body.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    EXPECT_EQ(rows, 4u) << csv.body;  // the header and three invoices
    for (const auto& id : ids) EXPECT_NE(csv.body.find(id), std::string::npos) << csv.body;
    EXPECT_EQ(csv.body.rfind("amount_credited,", 0), 0u) << csv.body;  // the columns, in the rows' order
    auto accept = As(a_owner_);
    accept.emplace_back("Accept", "text/csv");
    EXPECT_EQ(http_.Get(Url(mine), accept).body, http_.Get(Url(mine + "&format=csv"), As(a_owner_)).body);
    EXPECT_EQ(http_.Get(Url(mine + "&format=xml"), As(a_owner_)).status, 422);
    // The other tenant's export of the same filter is empty: just the header, or nothing at all.
    const auto other = http_.Get(Url(mine + "&format=csv"), As(b_owner_));
    EXPECT_EQ(other.body.find(ids[0]), std::string::npos) << other.body;
}

}  // namespace
}  // namespace kiln::testing
