// Provider webhooks into Kiln (POST /hooks/{integration_id}) through the real binary, signed the
// way each provider signs them (with the fakes' own implementations): a valid delivery is stored
// once and acted on once, and a tampered, stale, wrongly signed or other tenant's delivery is
// refused with 401 and changes nothing. Payment events move the payment, its invoice and the ledger.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "api_fixture.hpp"
#include "fake_providers/fake_docusign.hpp"
#include "fake_providers/fake_razorpay.hpp"
#include "fake_providers/fake_sendgrid.hpp"
#include "fake_providers/fake_shopify.hpp"
#include "fake_providers/fake_stripe.hpp"
#include "fake_providers/fake_twilio.hpp"
#include "fake_providers/fake_util.hpp"
#include "http_receiver.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kStripeKey = "sk_test_KilnInbound0001";
constexpr const char* kRazorpayKeyId = "rzp_test_KilnIn0001";
constexpr const char* kRazorpaySecret = "rzpSecretKilnInbound0001";

/// One webhook delivery as a provider would send it.
struct Delivery {
    std::string body;
    HeaderList headers;
};

class InboundWebhooks : public ApiTest {
  protected:
    void SetUp() override {
        customer_ = Created(http_.Post(Url("/customers"), json{{"name", "Inbound Customer"}}, As(a_owner_)))["id"];
    }

    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + std::to_string(::getpid()) + "x" + std::to_string(++counter);
    }

    static int64_t Now() {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    std::string CreateIntegration(const json& body, const std::string& token = a_owner_) {
        return Created(http_.Post(Url("/integrations"), body, As(token)))["id"];
    }

    static std::string HookUrl(const std::string& integration_id) { return Url("/hooks/" + integration_id); }

    HttpResponse Deliver(const std::string& integration_id, const Delivery& delivery) {
        return http_.Request("POST", HookUrl(integration_id), delivery.body, delivery.headers);
    }

    /// The answer of a hook that took the delivery: how many events were new and how many replays.
    void ExpectStored(const std::string& integration_id, const Delivery& delivery, int received, int duplicates,
                      const std::string& what) {
        const auto r = Deliver(integration_id, delivery);
        ASSERT_EQ(r.status, 200) << what << ": " << r.body;
        EXPECT_EQ(r.Json(), (json{{"received", received}, {"duplicates", duplicates}})) << what;
    }

    /// Every delivery is refused with a 401 problem that names no secret.
    void ExpectRefused(const std::string& integration_id, const std::vector<std::pair<std::string, Delivery>>& cases,
                       const std::vector<std::string>& secrets) {
        for (const auto& [what, delivery] : cases) {
            const auto r = Deliver(integration_id, delivery);
            EXPECT_EQ(r.status, 401) << what << ": " << r.body;
            EXPECT_NE(r.Header("content-type").find("application/problem+json"), std::string::npos) << what;
            for (const auto& secret : secrets) EXPECT_EQ(r.body.find(secret), std::string::npos) << what;
        }
    }

    /// An issued invoice of one line of `amount` (no tax) in `currency`.
    json IssuedInvoice(int64_t amount, const std::string& currency) {
        return IssueInvoice(customer_, amount, currency, "Hook test");
    }

    /// A pending card payment of the whole invoice with its gateway object made through the default
    /// payments integration: {payment id, gateway_ref}.
    std::pair<std::string, std::string> GatewayPayment(const json& invoice) {
        const json payment = Created(http_.Post(Url("/payments"),
                                                json{{"invoice_id", invoice["id"]},
                                                     {"amount", invoice["total"]},
                                                     {"currency", invoice["currency"]},
                                                     {"method", "card"},
                                                     {"status", "pending"}},
                                                As(a_owner_)));
        const auto intent =
            http_.Post(Url("/payments/" + payment["id"].get<std::string>() + "/intent"), json::object(), As(a_owner_));
        EXPECT_EQ(intent.status, 200) << intent.body;
        return {payment["id"], intent.Json()["payment"].value("gateway_ref", "")};
    }

    json Payment(const std::string& id) { return http_.Get(Url("/payments/" + id), As(a_owner_)).Json(); }
    std::string PaymentStatus(const std::string& id) { return Payment(id).value("status", ""); }
    std::string InvoiceStatus(const std::string& id) {
        return http_.Get(Url("/invoices/" + id), As(a_owner_)).Json().value("status", "");
    }

    /// Journal entries posted for `source_type` ("payment", "refund") about `source_id`.
    size_t Postings(const std::string& source_type, const std::string& source_id) {
        const auto r = http_.Get(Url("/ledger/journal-entries?source_type=" + source_type + "&source_id=" + source_id),
                                 As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json()["data"].size() : 0;
    }

    /// integration.inbound jobs that have run to completion, on the whole server (A is its administrator).
    /// Inbound jobs in `state`, or in any state.
    int64_t InboundJobs(const std::optional<std::string>& state) {
        const auto r = http_.Get(Url("/jobs?limit=1"), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        const json counts = r.Json()["counts"];
        int64_t n = 0;
        for (const auto& row : counts["by_kind"])
            if (row["kind"] == "integration.inbound" && (!state || row["state"] == *state))
                n += row["count"].get<int64_t>();
        return n;
    }
    int64_t InboundJobsDone() { return InboundJobs("succeeded"); }

    /// Waits until `n` more inbound jobs than `before` have completed.
    void WaitForInboundJobs(int64_t before, int64_t n) {
        EXPECT_TRUE(Eventually([&] { return InboundJobsDone() >= before + n; }))
            << "inbound jobs did not run: " << http_.Get(Url("/jobs?limit=5"), As(a_owner_)).body;
    }

    static std::string Violations(const FakeProviderBase& fake) {
        std::string out;
        for (const auto& violation : fake.violations()) out += violation + "\n";
        return out;
    }

    std::string customer_;
};

// ---- Stripe -------------------------------------------------------------------------------------

Delivery StripeDelivery(const std::string& secret, const std::string& body, int64_t t) {
    return {body, {{"Stripe-Signature", FakeStripe::SignatureHeader(secret, body, t)}}};
}

TEST_F(InboundWebhooks, StripeEventsMoveThePaymentOnceAndOnlyWhenSigned) {
    const std::string current = "whsec_KilnInboundCurrent01";
    const std::string previous = "whsec_KilnInboundPrevious1";
    const std::string beta_secret = "whsec_KilnInboundBetaTen01";
    FakeStripe fake(kStripeKey);
    const std::string hook = CreateIntegration(
        {{"type", "stripe"},
         {"name", "Stripe hooks"},
         {"mode", "test"},
         {"is_default", true},
         {"config", {{"api_key", kStripeKey}, {"webhook_secret", current}, {"previous_webhook_secret", previous}}}});
    PointAt(hook, fake.base_url());
    const std::string beta_hook =
        CreateIntegration({{"type", "stripe"},
                           {"name", "Beta Stripe"},
                           {"config", {{"api_key", "sk_test_KilnInboundBeta01"}, {"webhook_secret", beta_secret}}}},
                          b_owner_);

    const json invoice = IssuedInvoice(4200, "EUR");
    const std::string invoice_id = invoice["id"];
    const auto [payment_id, intent] = GatewayPayment(invoice);
    const std::string payment = payment_id;
    ASSERT_EQ(intent.rfind("pi_", 0), 0U) << intent;
    const std::string body = FakeStripe::EventJson(
        Unique("evt_"), "payment_intent.succeeded",
        {{"id", intent}, {"object", "payment_intent"}, {"amount", 4200}, {"currency", "eur"}, {"status", "succeeded"}});
    json forged = json::parse(body);
    forged["data"]["object"]["id"] = "pi_SomeoneElsesIntent0001";

    ExpectRefused(hook,
                  {{"tampered", {forged.dump(), StripeDelivery(current, body, Now()).headers}},
                   {"stale", StripeDelivery(current, body, Now() - 400)},
                   {"wrong secret", StripeDelivery("whsec_NotTheSecret00001", body, Now())},
                   {"other tenant's secret", StripeDelivery(beta_secret, body, Now())},
                   {"unsigned", {body, {}}},
                   {"malformed signature", {body, {{"Stripe-Signature", "v1=abc"}}}}},
                  {current, previous, beta_secret});
    EXPECT_EQ(PaymentStatus(payment), "pending");

    // Signed for B's hook, A's payment is none of B's business: stored at B, nothing moves in A.
    int64_t done = InboundJobsDone();
    ExpectStored(beta_hook, StripeDelivery(beta_secret, body, Now()), 1, 0, "B's own hook");
    WaitForInboundJobs(done, 1);
    EXPECT_EQ(PaymentStatus(payment), "pending");
    EXPECT_EQ(Postings("payment", payment), 0U);

    // The real delivery: the payment succeeds, the invoice is paid, the ledger has the receipt.
    done = InboundJobsDone();
    ExpectStored(hook, StripeDelivery(current, body, Now()), 1, 0, "valid");
    EXPECT_TRUE(Eventually([&] { return PaymentStatus(payment) == "succeeded"; })) << Payment(payment).dump();
    EXPECT_EQ(InvoiceStatus(invoice_id), "paid");
    EXPECT_EQ(Postings("payment", payment), 1U);
    WaitForInboundJobs(done, 1);

    // Stripe redelivers with a fresh signature: recognised, and acted on no more. The hook enqueues in the
    // transaction it answers after, so a job for a replay would already be in the table, in whatever state.
    const int64_t jobs = InboundJobs(std::nullopt);
    ExpectStored(hook, StripeDelivery(current, body, Now()), 0, 1, "replay");
    ExpectStored(hook, StripeDelivery(previous, body, Now() - 10), 0, 1, "replay signed with the previous secret");
    EXPECT_EQ(InboundJobs(std::nullopt), jobs);
    EXPECT_EQ(Postings("payment", payment), 1U);
    EXPECT_EQ(PaymentStatus(payment), "succeeded");
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["amount_paid"], 4200);

    // During a rotation the secret being replaced still verifies: a failure for another payment.
    const json second_invoice = IssuedInvoice(1500, "EUR");
    const auto [declined_id, declined_intent] = GatewayPayment(second_invoice);
    const std::string declined = declined_id;
    const std::string failure = FakeStripe::EventJson(
        Unique("evt_"), "payment_intent.payment_failed",
        {{"id", declined_intent},
         {"object", "payment_intent"},
         {"status", "requires_payment_method"},
         {"last_payment_error", {{"code", "card_declined"}, {"message", "Your card was declined."}}}});
    ExpectStored(hook, StripeDelivery(previous, failure, Now()), 1, 0, "rotated secret");
    EXPECT_TRUE(Eventually([&] { return PaymentStatus(declined) == "failed"; })) << Payment(declined).dump();
    EXPECT_EQ(Payment(declined)["gateway_response"]["failure"]["code"], "card_declined") << Payment(declined).dump();
    EXPECT_EQ(InvoiceStatus(second_invoice["id"]), "issued");
    EXPECT_EQ(Postings("payment", declined), 0U);

    // A refund of the charge: the payment is refunded and the ledger reversed, once.
    const std::string refund = FakeStripe::EventJson(Unique("evt_"), "charge.refunded",
                                                     {{"id", "ch_KilnInboundCharge0001"},
                                                      {"object", "charge"},
                                                      {"amount", 4200},
                                                      {"amount_refunded", 4200},
                                                      {"payment_intent", intent},
                                                      {"refunded", true}});
    ExpectStored(hook, StripeDelivery(current, refund, Now()), 1, 0, "refund");
    EXPECT_TRUE(Eventually([&] { return PaymentStatus(payment) == "refunded"; })) << Payment(payment).dump();
    EXPECT_EQ(Postings("refund", payment), 1U);
    EXPECT_EQ(InvoiceStatus(invoice_id), "issued");
    ExpectStored(hook, StripeDelivery(current, refund, Now()), 0, 1, "refund replay");

    // A late failure of a refunded payment changes nothing.
    done = InboundJobsDone();
    const std::string late = FakeStripe::EventJson(Unique("evt_"), "payment_intent.payment_failed",
                                                   {{"id", intent}, {"object", "payment_intent"}});
    ExpectStored(hook, StripeDelivery(current, late, Now()), 1, 0, "late failure");
    WaitForInboundJobs(done, 1);
    EXPECT_EQ(PaymentStatus(payment), "refunded");
    EXPECT_EQ(Postings("payment", payment), 1U);
    EXPECT_EQ(Postings("refund", payment), 1U);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

// ---- Razorpay -----------------------------------------------------------------------------------

Delivery RazorpayDelivery(const std::string& secret, const std::string& body, const std::string& event_id) {
    return {body,
            {{"X-Razorpay-Signature", FakeRazorpay::WebhookSignature(secret, body)},
             {"X-Razorpay-Event-Id", event_id},
             {"Content-Type", "application/json"}}};
}

std::string RazorpayEvent(const std::string& type, const json& payment) {
    return json{
        {"entity", "event"},
        {"account_id", "acc_KilnInbound001"},
        {"event", type},
        {"contains", {"payment"}},
        {"payload", {{"payment", {{"entity", payment}}}}},
        {"created_at",
         std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()}}
        .dump();
}

TEST_F(InboundWebhooks, RazorpayEventsMoveThePaymentOnceAndOnlyWhenSigned) {
    const std::string current = "rzpHookCurrentSecret01";
    const std::string previous = "rzpHookPreviousSecret1";
    const std::string beta_secret = "rzpHookBetaTenantSecret";
    FakeRazorpay fake(kRazorpayKeyId, kRazorpaySecret);
    const std::string hook = CreateIntegration({{"type", "razorpay"},
                                                {"name", "Razorpay hooks"},
                                                {"mode", "test"},
                                                {"is_default", true},
                                                {"config",
                                                 {{"key_id", kRazorpayKeyId},
                                                  {"key_secret", kRazorpaySecret},
                                                  {"webhook_secret", current},
                                                  {"previous_webhook_secret", previous}}}});
    PointAt(hook, fake.base_url());
    CreateIntegration(
        {{"type", "razorpay"},
         {"name", "Beta Razorpay"},
         {"config",
          {{"key_id", "rzp_test_KilnBeta01"}, {"key_secret", "betaSecret01"}, {"webhook_secret", beta_secret}}}},
        b_owner_);

    const json invoice = IssuedInvoice(150000, "INR");
    const std::string invoice_id = invoice["id"];
    const auto [payment_id, order] = GatewayPayment(invoice);
    const std::string payment = payment_id;
    ASSERT_EQ(order.rfind("order_", 0), 0U) << order;
    const std::string pay_id = fake.AddPayment(order, "captured");
    const auto entity = fake.payment(pay_id);
    ASSERT_TRUE(entity.has_value());
    const std::string body = RazorpayEvent("payment.captured", *entity);
    const std::string event_id = Unique("evt_");
    json forged = json::parse(body);
    forged["payload"]["payment"]["entity"]["amount"] = 100;

    ExpectRefused(hook,
                  {{"tampered", {forged.dump(), RazorpayDelivery(current, body, event_id).headers}},
                   {"wrong secret", RazorpayDelivery("rzpNotTheSecret", body, event_id)},
                   {"other tenant's secret", RazorpayDelivery(beta_secret, body, event_id)},
                   {"unsigned", {body, {{"X-Razorpay-Event-Id", event_id}}}}},
                  {current, previous, beta_secret, kRazorpaySecret});
    EXPECT_EQ(PaymentStatus(payment), "pending");

    const int64_t before = InboundJobsDone();
    ExpectStored(hook, RazorpayDelivery(current, body, event_id), 1, 0, "valid");
    EXPECT_TRUE(Eventually([&] { return PaymentStatus(payment) == "succeeded"; })) << Payment(payment).dump();
    EXPECT_TRUE(Eventually([&] { return InvoiceStatus(invoice_id) == "paid"; }));
    EXPECT_EQ(Postings("payment", payment), 1U);
    // Its effects are visible before its job is marked done: count from the finished job.
    WaitForInboundJobs(before, 1);

    const int64_t jobs = InboundJobs(std::nullopt);  // a replay's job would be in the table once the hook answers
    ExpectStored(hook, RazorpayDelivery(current, body, event_id), 0, 1, "replay");
    // The event id header is not signed: a replay under a new one is still the same signed body (issue 12, item 10).
    ExpectStored(hook, RazorpayDelivery(current, body, Unique("evt_")), 0, 1, "replay with another event id");
    ExpectStored(hook, {body, {{"X-Razorpay-Signature", FakeRazorpay::WebhookSignature(current, body)}}}, 0, 1,
                 "replay without an event id");
    EXPECT_EQ(InboundJobs(std::nullopt), jobs);
    EXPECT_EQ(Postings("payment", payment), 1U);
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["amount_paid"], 150000);

    // The secret being rotated out still verifies: a failed attempt on another payment.
    const json second_invoice = IssuedInvoice(20000, "INR");
    const auto [declined_id, second_order] = GatewayPayment(second_invoice);
    const std::string declined = declined_id;
    const auto failed_entity = fake.payment(fake.AddPayment(second_order, "failed"));
    ASSERT_TRUE(failed_entity.has_value());
    ExpectStored(hook, RazorpayDelivery(previous, RazorpayEvent("payment.failed", *failed_entity), Unique("evt_")), 1,
                 0, "rotated secret");
    EXPECT_TRUE(Eventually([&] { return PaymentStatus(declined) == "failed"; })) << Payment(declined).dump();
    EXPECT_EQ(Payment(declined)["gateway_response"]["failure"]["error_code"], "BAD_REQUEST_ERROR")
        << Payment(declined).dump();
    EXPECT_EQ(InvoiceStatus(second_invoice["id"]), "issued");
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

// ---- Shopify ------------------------------------------------------------------------------------

Delivery ShopifyDelivery(const std::string& secret, const std::string& body, const std::string& webhook_id) {
    return {body,
            {{"X-Shopify-Hmac-Sha256", FakeShopify::WebhookHmac(secret, body)},
             {"X-Shopify-Topic", "products/update"},
             {"X-Shopify-Webhook-Id", webhook_id},
             {"X-Shopify-Shop-Domain", "kiln-hooks.myshopify.com"},
             {"X-Shopify-API-Version", "2025-01"},
             {"Content-Type", "application/json"}}};
}

TEST_F(InboundWebhooks, ShopifyWebhooksAreStoredOnceAndOnlyWhenSigned) {
    const std::string current = "shpssKilnHooksCurrent01";
    const std::string previous = "shpssKilnHooksPrevious1";
    const std::string beta_secret = "shpssKilnHooksBetaTen01";
    const HttpReceiver shop([](const ReceivedRequest&, size_t) { return Reply{404, "{}", {}, {}}; });
    const std::string hook = CreateIntegration({{"type", "shopify"},
                                                {"name", "Shopify hooks"},
                                                {"config",
                                                 {{"shop_domain", "kiln-hooks.myshopify.com"},
                                                  {"access_token", "shpat_KilnHooks0001"},
                                                  {"webhook_secret", current},
                                                  {"previous_webhook_secret", previous}}}});
    PointAt(hook, shop.Url(""));
    CreateIntegration({{"type", "shopify"},
                       {"name", "Beta Shopify"},
                       {"config",
                        {{"shop_domain", "beta-hooks.myshopify.com"},
                         {"access_token", "shpat_BetaHooks0001"},
                         {"webhook_secret", beta_secret}}}},
                      b_owner_);
    const std::string sku = Unique("HOOK-");
    const std::string body =
        json{{"id", 788032119674292922},
             {"title", "Hooked T-Shirt"},
             {"handle", "hooked-t-shirt"},
             {"status", "active"},
             {"updated_at", "2025-01-15T12:00:00-05:00"},
             {"variants", {{{"id", 642667041472713922}, {"sku", sku}, {"price", "19.99"}, {"title", "Default Title"}}}}}
            .dump();
    const std::string webhook_id = fakeutil::Uuid4();
    std::string tampered = body;
    tampered.replace(tampered.find("19.99"), 5, "0.01");

    ExpectRefused(
        hook,
        {{"tampered", {tampered, ShopifyDelivery(current, body, webhook_id).headers}},
         {"wrong secret", ShopifyDelivery("shpssNotTheSecret0001", body, webhook_id)},
         {"other tenant's secret", ShopifyDelivery(beta_secret, body, webhook_id)},
         {"unsigned", {body, {{"X-Shopify-Webhook-Id", webhook_id}, {"X-Shopify-Topic", "products/update"}}}}},
        {current, previous, beta_secret});
    // Nothing of the refused deliveries was kept: the genuine one is new.
    ExpectStored(hook, ShopifyDelivery(current, body, webhook_id), 1, 0, "valid");
    ExpectStored(hook, ShopifyDelivery(current, body, webhook_id), 0, 1, "replay");
    // Neither the webhook id nor the topic is signed: a replay with other ones is still the same delivery
    // (issue 12, item 10).
    ExpectStored(hook, ShopifyDelivery(current, body, fakeutil::Uuid4()), 0, 1, "replay with another webhook id");
    Delivery retopic = ShopifyDelivery(current, body, fakeutil::Uuid4());
    for (auto& [name, value] : retopic.headers)
        if (name == "X-Shopify-Topic") value = "orders/create";
    ExpectStored(hook, retopic, 0, 1, "replay under another topic");
    std::string rotated = body;
    rotated.replace(rotated.find("12:00:00"), 8, "12:00:01");  // the product's next version
    ExpectStored(hook, ShopifyDelivery(previous, rotated, fakeutil::Uuid4()), 1, 0, "rotated secret");

    // The products/update body is applied as the sync would: one product for the variant, once.
    const auto products = [&](const std::string& token) {
        return http_.Get(Url("/products?sku=" + sku), As(token)).Json().value("data", json::array());
    };
    ASSERT_TRUE(Eventually([&] { return products(a_owner_).size() == 1; })) << products(a_owner_).dump();
    const json product = products(a_owner_)[0];
    EXPECT_EQ(product["name"], "Hooked T-Shirt");
    EXPECT_EQ(product["unit_price"], 1999);
    EXPECT_EQ(product["currency"], "USD");
    EXPECT_TRUE(products(b_owner_).empty());
}

// Webhooks arrive unordered and may be replayed: an older version of a product, validly signed, must not undo
// a newer one (issue 12, item 10).
TEST_F(InboundWebhooks, AnOlderShopifyUpdateAfterANewerOneLeavesTheNewerData) {
    const std::string secret = "shpssKilnHooksOrdering1";
    const std::string hook = CreateIntegration({{"type", "shopify"},
                                                {"name", "Shopify ordering"},
                                                {"config",
                                                 {{"shop_domain", "kiln-order.myshopify.com"},
                                                  {"access_token", "shpat_KilnOrdering001"},
                                                  {"webhook_secret", secret}}}});
    const std::string sku = Unique("ORDER-");
    const int64_t product_id = 788032119674292000 + (Now() % 1000);
    const auto version = [&](const std::string& title, const std::string& price, const std::string& updated_at) {
        return json{
            {"id", product_id},
            {"title", title},
            {"status", "active"},
            {"updated_at", updated_at},
            {"variants", {{{"id", product_id + 1}, {"sku", sku}, {"price", price}, {"title", "Default Title"}}}}}
            .dump();
    };
    const auto product = [&] {
        const json found = http_.Get(Url("/products?sku=" + sku), As(a_owner_)).Json().value("data", json::array());
        return found.empty() ? json::object() : found[0];
    };
    int64_t done = InboundJobsDone();
    ExpectStored(hook, ShopifyDelivery(secret, version("Newer Shirt", "24.99", "2025-03-01T10:00:00Z"), "n1"), 1, 0,
                 "newer");
    WaitForInboundJobs(done, 1);
    ASSERT_EQ(product().value("unit_price", 0), 2499) << product();
    done = InboundJobsDone();
    ExpectStored(hook, ShopifyDelivery(secret, version("Older Shirt", "19.99", "2025-02-01T10:00:00Z"), "o1"), 1, 0,
                 "older");
    WaitForInboundJobs(done, 1);
    EXPECT_EQ(product().value("unit_price", 0), 2499) << product();
    EXPECT_EQ(product().value("name", ""), "Newer Shirt") << product();
    // A later version still applies.
    done = InboundJobsDone();
    ExpectStored(hook, ShopifyDelivery(secret, version("Latest Shirt", "29.99", "2025-04-01T10:00:00+02:00"), "l1"), 1,
                 0, "latest");
    WaitForInboundJobs(done, 1);
    EXPECT_EQ(product().value("unit_price", 0), 2999) << product();
}

// ---- Twilio -------------------------------------------------------------------------------------

Delivery TwilioDelivery(const std::string& auth_token, const std::string& signed_url, const fakeutil::Params& params) {
    std::string body;
    for (const auto& [name, value] : params)
        body += (body.empty() ? "" : "&") + fakeutil::UriEncode(name, false) + "=" + fakeutil::UriEncode(value, false);
    return {body,
            {{"X-Twilio-Signature", FakeTwilio::Signature(auth_token, signed_url, params)},
             {"Content-Type", "application/x-www-form-urlencoded"}}};
}

TEST_F(InboundWebhooks, TwilioStatusCallbacksAreStoredOnceAndOnlyWhenSigned) {
    const std::string account = "AC" + fakeutil::RandomHex(32);
    const std::string token = fakeutil::RandomHex(32);
    const std::string beta_token = fakeutil::RandomHex(32);
    const std::string hook = CreateIntegration(
        {{"type", "twilio"},
         {"name", "Twilio hooks"},
         {"config", {{"account_sid", account}, {"auth_token", token}, {"from_number", "+15005550006"}}}});
    // Twilio signs the URL it posts to: the integration says which one that is.
    const std::string url = HookUrl(hook);
    ASSERT_EQ(
        http_.Put(Url("/integrations/" + hook), json{{"config", {{"status_callback_url", url}}}}, As(a_owner_)).status,
        200);
    const std::string beta_hook = CreateIntegration({{"type", "twilio"},
                                                     {"name", "Beta Twilio"},
                                                     {"config",
                                                      {{"account_sid", "AC" + fakeutil::RandomHex(32)},
                                                       {"auth_token", beta_token},
                                                       {"from_number", "+15005550007"}}}},
                                                    b_owner_);

    const std::string sid = "SM" + fakeutil::RandomHex(32);
    const fakeutil::Params delivered = {{"AccountSid", account},        {"ApiVersion", "2010-04-01"},
                                        {"From", "+15005550006"},       {"MessageSid", sid},
                                        {"MessageStatus", "delivered"}, {"SmsSid", sid},
                                        {"SmsStatus", "delivered"},     {"To", "+15558675310"}};
    fakeutil::Params forged = delivered;
    forged[4].second = "failed";

    ExpectRefused(
        hook,
        {{"tampered", {TwilioDelivery(token, url, forged).body, TwilioDelivery(token, url, delivered).headers}},
         {"signed for another URL", TwilioDelivery(token, "https://example.com/hooks/" + hook, delivered)},
         {"wrong token", TwilioDelivery(fakeutil::RandomHex(32), url, delivered)},
         {"other tenant's token", TwilioDelivery(beta_token, url, delivered)},
         {"unsigned", {TwilioDelivery(token, url, delivered).body, {}}}},
        {token, beta_token});
    ExpectStored(hook, TwilioDelivery(token, url, delivered), 1, 0, "valid");
    ExpectStored(hook, TwilioDelivery(token, url, delivered), 0, 1, "replay");
    // I-Twilio-Idempotency-Token is not signed: a replay with a fresh one is still the same callback (issue 12, item
    // 10).
    Delivery retokened = TwilioDelivery(token, url, delivered);
    retokened.headers.emplace_back("I-Twilio-Idempotency-Token", fakeutil::Uuid4());
    ExpectStored(hook, retokened, 0, 1, "replay with another idempotency token");
    // The next status of the same message is another event.
    fakeutil::Params read = delivered;
    read[4].second = "read";
    ExpectStored(hook, TwilioDelivery(token, url, read), 1, 0, "next status");
    EXPECT_NE(beta_hook, hook);
}

// ---- SendGrid -----------------------------------------------------------------------------------

Delivery SendGridDelivery(const FakeSendGrid& signer, const std::string& body, int64_t timestamp) {
    const std::string t = std::to_string(timestamp);
    return {body,
            {{"X-Twilio-Email-Event-Webhook-Signature", signer.SignEvent(t, body)},
             {"X-Twilio-Email-Event-Webhook-Timestamp", t},
             {"Content-Type", "application/json"}}};
}

json SendGridEvent(const std::string& event, const std::string& sg_event_id) {
    return {{"email", "customer@example.com"},
            {"timestamp", 1718000000},
            {"smtp-id", "<kiln.hooks@example.com>"},
            {"event", event},
            {"category", json::array({"invoice"})},
            {"sg_event_id", sg_event_id},
            {"sg_message_id", "KilnHooksMessage0001.filterdrecv-1"}};
}

TEST_F(InboundWebhooks, SendGridEventBatchesAreStoredOnceAndOnlyWhenSigned) {
    const FakeSendGrid current("SG.kilnHooks.current01");
    const FakeSendGrid previous("SG.kilnHooks.previous1");
    const FakeSendGrid beta("SG.kilnHooks.betaTen01");
    const FakeSendGrid stranger("SG.kilnHooks.stranger1");
    const std::string hook = CreateIntegration({{"type", "sendgrid"},
                                                {"name", "SendGrid hooks"},
                                                {"config",
                                                 {{"api_key", "SG.kilnHooks.current01"},
                                                  {"from_email", "billing@example.com"},
                                                  {"webhook_public_key", current.public_key_base64()},
                                                  {"previous_webhook_public_key", previous.public_key_base64()}}}});
    PointAt(hook, current.base_url());
    CreateIntegration({{"type", "sendgrid"},
                       {"name", "Beta SendGrid"},
                       {"config",
                        {{"api_key", "SG.kilnHooks.betaTen01"},
                         {"from_email", "billing@beta.test"},
                         {"webhook_public_key", beta.public_key_base64()}}}},
                      b_owner_);

    const std::string delivered_id = Unique("sgev");
    const std::string body = json::array({SendGridEvent("delivered", delivered_id)}).dump();
    std::string tampered = body;
    tampered.replace(tampered.find("delivered"), 9, "bounce\"  ");
    ExpectRefused(hook,
                  {{"tampered", {tampered, SendGridDelivery(current, body, Now()).headers}},
                   {"stale", SendGridDelivery(current, body, Now() - 360)},
                   {"wrong key", SendGridDelivery(stranger, body, Now())},
                   {"other tenant's key", SendGridDelivery(beta, body, Now())},
                   {"unsigned", {body, {{"X-Twilio-Email-Event-Webhook-Timestamp", std::to_string(Now())}}}}},
                  {});
    ExpectStored(hook, SendGridDelivery(current, body, Now()), 1, 0, "valid");
    ExpectStored(hook, SendGridDelivery(current, body, Now()), 0, 1, "replay");
    // A batch that repeats one event and brings a new one, signed with the key being rotated out.
    const std::string batch =
        json::array({SendGridEvent("delivered", delivered_id), SendGridEvent("open", Unique("sgev"))}).dump();
    ExpectStored(hook, SendGridDelivery(previous, batch, Now()), 1, 1, "rotated key");
    EXPECT_TRUE(current.violations().empty()) << Violations(current);
}

// ---- DocuSign -----------------------------------------------------------------------------------

Delivery DocuSignDelivery(const std::vector<std::string>& keys, const std::string& body) {
    Delivery delivery{body, {{"Content-Type", "application/json"}}};
    for (size_t i = 0; i < keys.size(); ++i)
        delivery.headers.emplace_back("X-DocuSign-Signature-" + std::to_string(i + 1),
                                      FakeDocuSign::ConnectSignature(keys[i], body));
    return delivery;
}

TEST_F(InboundWebhooks, DocuSignConnectEventsAreStoredOnceAndOnlyWhenSigned) {
    const std::string current = "KilnConnectCurrentKey0001=";
    const std::string previous = "KilnConnectPreviousKey001=";
    const std::string beta_secret = "KilnConnectBetaTenant001=";
    const std::string account = fakeutil::Uuid4();
    const std::string hook = CreateIntegration({{"type", "docusign"},
                                                {"name", "DocuSign hooks"},
                                                {"config",
                                                 {{"account_id", account},
                                                  {"access_token", "eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.kiln.hooks"},
                                                  {"connect_secret", current},
                                                  {"previous_connect_secret", previous}}}});
    CreateIntegration({{"type", "docusign"},
                       {"name", "Beta DocuSign"},
                       {"config",
                        {{"account_id", fakeutil::Uuid4()},
                         {"access_token", "eyJ0eXAiOiJNVCJ9.beta.hooks"},
                         {"connect_secret", beta_secret}}}},
                      b_owner_);
    const std::string envelope = fakeutil::Uuid4();
    const auto event = [&](const std::string& type, const std::string& generated) {
        return json{{"event", type},
                    {"apiVersion", "v2.1"},
                    {"uri", "/restapi/v2.1/accounts/" + account + "/envelopes/" + envelope},
                    {"retryCount", 0},
                    {"configurationId", 10418},
                    {"generatedDateTime", generated},
                    {"data", {{"accountId", account}, {"userId", fakeutil::Uuid4()}, {"envelopeId", envelope}}}}
            .dump();
    };
    const std::string body = event("envelope-completed", "2025-01-15T12:00:00.0000000Z");
    std::string tampered = body;
    tampered.replace(tampered.find("envelope-completed"), 18, "envelope-voided   ");

    ExpectRefused(hook,
                  {{"tampered", {tampered, DocuSignDelivery({current}, body).headers}},
                   {"wrong secret", DocuSignDelivery({"NotTheConnectKey00001="}, body)},
                   {"other tenant's secret", DocuSignDelivery({beta_secret}, body)},
                   {"unsigned", {body, {{"Content-Type", "application/json"}}}}},
                  {current, previous, beta_secret});
    ExpectStored(hook, DocuSignDelivery({current}, body), 1, 0, "valid");
    ExpectStored(hook, DocuSignDelivery({current}, body), 0, 1, "replay");
    // During a rotation Connect signs with each active key; either one that Kiln knows will do.
    ExpectStored(hook,
                 DocuSignDelivery({"SomeOtherConnectKey0001=", previous},
                                  event("envelope-delivered", "2025-01-15T11:59:00.0000000Z")),
                 1, 0, "rotated secret");
}

// ---- Addresses that receive nothing -------------------------------------------------------------

TEST_F(InboundWebhooks, UnknownMalformedInactiveOrSilentIntegrationsAreNotFound) {
    const std::string body = FakeStripe::EventJson("evt_KilnNowhere0001", "payment_intent.succeeded",
                                                   {{"id", "pi_KilnNowhere0001"}, {"object", "payment_intent"}});
    const auto headers = StripeDelivery("whsec_KilnNowhere00001", body, Now()).headers;
    for (const std::string& id : {std::string("not-a-uuid"), std::string("00000000-0000-4000-8000-000000000000"),
                                  std::string("..%2F..%2Fintegrations"), std::string("")}) {
        const auto r = http_.Request("POST", HookUrl(id), body, headers);
        EXPECT_EQ(r.status, 404) << "'" << id << "': " << r.body;
    }

    // An inactive integration receives nothing, even correctly signed.
    const std::string stripe = CreateIntegration(
        {{"type", "stripe"},
         {"name", "Inactive Stripe"},
         {"config", {{"api_key", "sk_test_KilnNowhere0001"}, {"webhook_secret", "whsec_KilnNowhere00001"}}}});
    ASSERT_EQ(http_.Put(Url("/integrations/" + stripe), json{{"status", "inactive"}}, As(a_owner_)).status, 200);
    const auto inactive = Deliver(stripe, {body, headers});
    EXPECT_EQ(inactive.status, 404) << inactive.body;
    ASSERT_EQ(http_.Put(Url("/integrations/" + stripe), json{{"status", "active"}}, As(a_owner_)).status, 200);
    ExpectStored(stripe, {body, headers}, 1, 0, "active again");

    // A deleted integration's address is gone.
    ASSERT_EQ(http_.Delete(Url("/integrations/" + stripe), As(a_owner_)).status, 204);
    EXPECT_EQ(Deliver(stripe, {body, headers}).status, 404);

    // Types without webhooks have no hook.
    const std::string ses = CreateIntegration({{"type", "ses"},
                                               {"name", "SES"},
                                               {"config",
                                                {{"access_key_id", "AKIAKILNHOOKS0000001"},
                                                 {"secret_access_key", std::string(40, 'k')},
                                                 {"region", "us-east-1"},
                                                 {"from_email", "billing@example.com"}}}});
    EXPECT_EQ(Deliver(ses, {body, headers}).status, 404);
}

}  // namespace
}  // namespace kiln::testing
