// Payments through a gateway, end to end against local fakes of Stripe and Razorpay: a pending
// payment gets its gateway object (PaymentIntent, order) created once whatever the retries, the
// browser's secret is handed out but never stored, failures leave the payment as it was, the
// connectivity test records its outcome, and a Razorpay Checkout signature settles the invoice.
#include <algorithm>
#include <map>
#include <set>

#include "api_fixture.hpp"
#include "fake_providers/fake_razorpay.hpp"
#include "fake_providers/fake_sendgrid.hpp"
#include "fake_providers/fake_ses.hpp"
#include "fake_providers/fake_stripe.hpp"
#include "fake_providers/fake_twilio.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

constexpr const char* kStripeKey = "sk_test_KilnGateway0001";
constexpr const char* kRazorpayKeyId = "rzp_test_KilnGw0001";
constexpr const char* kRazorpaySecret = "rzpSecretKilnGateway0001";

class PaymentGateways : public ApiTest {
  protected:
    void SetUp() override {
        customer_ = Created(http_.Post(Url("/customers"), json{{"name", "Gateway Customer"}}, As(a_owner_)))["id"];
    }

    /// An issued invoice of one line of `amount` (no tax) in `currency`.
    json IssuedInvoice(int64_t amount, const std::string& currency) {
        return IssueInvoice(customer_, amount, currency, "Gateway test");
    }

    /// A pending card payment of the whole invoice.
    json PendingPayment(const json& invoice) {
        json payment = Created(http_.Post(Url("/payments"),
                                          json{{"invoice_id", invoice["id"]},
                                               {"amount", invoice["total"]},
                                               {"currency", invoice["currency"]},
                                               {"method", "card"},
                                               {"status", "pending"}},
                                          As(a_owner_)));
        EXPECT_EQ(payment["status"], "pending");
        return payment;
    }

    /// Creates the integration; with `base_url` the operator sends its calls there (a local stand-in).
    json CreateIntegration(const json& body, const std::string& base_url = "", const std::string& token = a_owner_) {
        json created = Created(http_.Post(Url("/integrations"), body, As(token)));
        if (!base_url.empty() && created.contains("id")) PointAt(created["id"], base_url);
        return created;
    }

    json StripeIntegration(const FakeStripe& fake, const std::string& api_key = kStripeKey) {
        return CreateIntegration({{"type", "stripe"},
                                  {"name", api_key == kStripeKey ? "Stripe" : "Stripe (other key)"},
                                  {"mode", "test"},
                                  {"is_default", true},
                                  {"config", {{"api_key", api_key}, {"webhook_secret", "whsec_GatewayTest0001"}}}},
                                 fake.base_url());
    }

    json RazorpayIntegration(const FakeRazorpay& fake) {
        return CreateIntegration({{"type", "razorpay"},
                                  {"name", "Razorpay"},
                                  {"mode", "test"},
                                  {"is_default", true},
                                  {"config",
                                   {{"key_id", kRazorpayKeyId},
                                    {"key_secret", kRazorpaySecret},
                                    {"webhook_secret", "rzpWebhookGateway0001"}}}},
                                 fake.base_url());
    }

    HttpResponse Intent(const std::string& payment_id) {
        return http_.Post(Url("/payments/" + payment_id + "/intent"), json::object(), As(a_owner_));
    }

    json Payment(const std::string& id) {
        const auto r = http_.Get(Url("/payments/" + id), As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }

    /// Journal entries posted for `source_type` ("payment", "refund") about `source_id`.
    size_t Postings(const std::string& source_type, const std::string& source_id) {
        const auto r = http_.Get(Url("/ledger/journal-entries?source_type=" + source_type + "&source_id=" + source_id),
                                 As(a_owner_));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json()["data"].size() : 0;
    }

    /// The requests of `fake` whose method and path are these.
    static std::vector<ReceivedRequest> RequestsTo(const FakeProviderBase& fake, const std::string& method,
                                                   const std::string& path) {
        std::vector<ReceivedRequest> out;
        for (const auto& request : fake.requests())
            if (request.method == method && fakeutil::SplitTarget(request.target).first == path) out.push_back(request);
        return out;
    }

    static std::map<std::string, std::string> Form(const std::string& body) {
        std::map<std::string, std::string> fields;
        const auto parsed = fakeutil::ParseForm(body);
        EXPECT_TRUE(parsed.has_value()) << body;
        if (parsed)
            for (const auto& [name, value] : *parsed) fields[name] = value;
        return fields;
    }

    /// A fake's violations, one a line, for failure messages.
    static std::string Violations(const FakeProviderBase& fake) {
        std::string out;
        for (const auto& violation : fake.violations()) out += violation + "\n";
        return out;
    }

    /// A Stripe event about `intent`, signed with the integration's webhook secret, posted to its hook.
    HttpResponse DeliverStripeEvent(const std::string& integration, const std::string& event_id,
                                    const std::string& type, const json& intent) {
        const std::string event = FakeStripe::EventJson(event_id, type, intent);
        return http_.Post(
            Url("/hooks/" + integration), event,
            {{"Stripe-Signature", FakeStripe::SignatureHeader("whsec_GatewayTest0001", event, std::time(nullptr))},
             {"Content-Type", "application/json"}});
    }

    static bool IsProblem(const HttpResponse& r) {
        return r.Header("content-type").find("application/problem+json") != std::string::npos;
    }

    std::string customer_;
};

TEST_F(PaymentGateways, StripeIntentIsCreatedOnceAndItsClientSecretIsNeverStored) {
    FakeStripe fake(kStripeKey);
    const json integration = StripeIntegration(fake);
    const json invoice = IssuedInvoice(12345, "EUR");
    const json payment = PendingPayment(invoice);
    const std::string id = payment["id"];

    const auto first = Intent(id);
    ASSERT_EQ(first.status, 200) << first.body;
    const json created = first.Json();
    EXPECT_EQ(created["payment"]["gateway"], "stripe");
    EXPECT_EQ(created["payment"]["status"], "pending");
    const std::string ref = created["payment"]["gateway_ref"];
    EXPECT_EQ(ref.rfind("pi_", 0), 0U) << ref;
    EXPECT_EQ(created["gateway"]["type"], "stripe");
    EXPECT_EQ(created["gateway"]["ref"], ref);
    const std::string secret = created.value("client_secret", "");
    EXPECT_EQ(secret.rfind(ref + "_secret_", 0), 0U) << created.dump();
    EXPECT_FALSE(created["payment"]["gateway_response"].contains("client_secret"));

    // Stored: the reference and the gateway's answer, without the secret.
    const auto shown = http_.Get(Url("/payments/" + id), As(a_owner_));
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.Json()["gateway_ref"], ref);
    EXPECT_EQ(shown.Json()["gateway"], "stripe");
    EXPECT_EQ(shown.Json()["status"], "pending");
    EXPECT_EQ(shown.body.find(secret), std::string::npos) << shown.body;
    EXPECT_EQ(shown.body.find("client_secret"), std::string::npos) << shown.body;

    // What Stripe was sent: minor units, lowercase currency, the payment's id, a key.
    const auto posts = RequestsTo(fake, "POST", "/v1/payment_intents");
    ASSERT_EQ(posts.size(), 1U);
    const auto form = Form(posts[0].body);
    EXPECT_EQ(form.at("amount"), "12345");
    EXPECT_EQ(form.at("currency"), "eur");
    EXPECT_EQ(form.at("metadata[kiln_payment_id]"), id);
    EXPECT_EQ(form.at("metadata[invoice_number]"), invoice["number"]);
    const std::string key = posts[0].Header("Idempotency-Key").value_or("");
    EXPECT_FALSE(key.empty());
    EXPECT_EQ(posts[0].Header("Authorization").value_or(""), std::string("Bearer ") + kStripeKey);
    const auto at_stripe = fake.intent(ref);
    ASSERT_TRUE(at_stripe.has_value());
    EXPECT_EQ((*at_stripe)["amount"], 12345);
    EXPECT_EQ((*at_stripe)["metadata"]["kiln_payment_id"], id);

    // Asking again sends the same key: Stripe replays, and there is still one PaymentIntent.
    const auto second = Intent(id);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.Json()["payment"]["gateway_ref"], ref);
    EXPECT_EQ(second.Json()["client_secret"], secret);
    const auto again = RequestsTo(fake, "POST", "/v1/payment_intents");
    ASSERT_EQ(again.size(), 2U);
    EXPECT_EQ(again[1].Header("Idempotency-Key").value_or(""), key);
    EXPECT_EQ(fake.intents_created(), 1U);

    // Only pending payments go through a gateway.
    const json manual = Created(http_.Post(
        Url("/payments"), json{{"invoice_id", invoice["id"]}, {"amount", 100}, {"currency", "EUR"}, {"method", "cash"}},
        As(a_owner_)));
    const auto refused = Intent(manual["id"]);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_TRUE(IsProblem(refused));
    EXPECT_EQ(fake.intents_created(), 1U);
    // Another tenant's payment reads as missing.
    EXPECT_EQ(http_.Post(Url("/payments/" + id + "/intent"), json::object(), As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Post(Url("/payments/not-a-uuid/intent"), json::object(), As(a_owner_)).status, 404);
    EXPECT_EQ(integration["is_default"], true);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

TEST_F(PaymentGateways, AFailingStripeIsReportedAs502AndAskingAgainReusesTheKey) {
    FakeStripe fake(kStripeKey);
    StripeIntegration(fake);

    // A request waits on the gateway once, without retries (issue 12, item 8): one 500 is a 502 at once.
    // Asking again sends the same Idempotency-Key and body, so Stripe creates the intent once.
    const json retried = PendingPayment(IssuedInvoice(5000, "EUR"));
    fake.FailNext(1, Reply{500, R"({"error":{"type":"api_error","message":"An unknown error occurred"}})", {}, {}});
    const auto refused = Intent(retried["id"]);
    EXPECT_EQ(refused.status, 502) << refused.body;
    EXPECT_EQ(RequestsTo(fake, "POST", "/v1/payment_intents").size(), 1U);
    const auto ok = Intent(retried["id"]);
    ASSERT_EQ(ok.status, 200) << ok.body;
    const auto attempts = RequestsTo(fake, "POST", "/v1/payment_intents");
    ASSERT_EQ(attempts.size(), 2U);
    EXPECT_FALSE(attempts[0].Header("Idempotency-Key").value_or("").empty());
    EXPECT_EQ(attempts[0].Header("Idempotency-Key"), attempts[1].Header("Idempotency-Key"));
    EXPECT_EQ(attempts[0].body, attempts[1].body);
    EXPECT_EQ(fake.intents_created(), 1U);
    EXPECT_EQ(Payment(retried["id"])["gateway_ref"], ok.Json()["payment"]["gateway_ref"]);

    // Failing every time: a 502 problem, and the payment is as it was.
    const json failing = PendingPayment(IssuedInvoice(6000, "EUR"));
    const json before = Payment(failing["id"]);
    fake.FailNext(5, Reply{500, R"({"error":{"type":"api_error","message":"An unknown error occurred"}})", {}, {}});
    const auto failed = Intent(failing["id"]);
    EXPECT_EQ(failed.status, 502) << failed.body;
    EXPECT_TRUE(IsProblem(failed)) << failed.Header("content-type");
    EXPECT_EQ(failed.body.find(kStripeKey), std::string::npos);
    fake.FailNext(0, Reply{});
    const json after = Payment(failing["id"]);
    EXPECT_EQ(after, before);
    EXPECT_EQ(after["status"], "pending");
    EXPECT_EQ(after["gateway_ref"], nullptr);
    EXPECT_EQ(RequestsTo(fake, "POST", "/v1/payment_intents").size(), 3U);  // one attempt per request
    EXPECT_EQ(fake.intents_created(), 1U);

    // Once Stripe is back, the same payment gets its intent.
    const auto recovered = Intent(failing["id"]);
    ASSERT_EQ(recovered.status, 200) << recovered.body;
    EXPECT_EQ(fake.intents_created(), 2U);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

TEST_F(PaymentGateways, TheConnectivityTestRecordsItsOutcomeWithoutTheKey) {
    FakeStripe fake(kStripeKey);
    const json good = StripeIntegration(fake);
    const auto passed = http_.Post(Url("/integrations/" + good["id"].get<std::string>() + "/test"), "", As(a_owner_));
    ASSERT_EQ(passed.status, 200) << passed.body;
    EXPECT_EQ(passed.Json()["ok"], true);
    EXPECT_EQ(passed.Json()["error"], nullptr);
    EXPECT_EQ(passed.Json()["integration"]["status"], "active");
    EXPECT_TRUE(passed.Json()["integration"]["last_tested_at"].is_string());
    EXPECT_EQ(RequestsTo(fake, "GET", "/v1/balance").size(), 1U);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);

    const std::string wrong_key = "sk_test_WrongKeyForKiln99";
    const json bad = StripeIntegration(fake, wrong_key);
    const std::string bad_id = bad["id"];
    const auto refused = http_.Post(Url("/integrations/" + bad_id + "/test"), "", As(a_owner_));
    ASSERT_EQ(refused.status, 200) << refused.body;
    EXPECT_EQ(refused.Json()["ok"], false);
    EXPECT_TRUE(refused.Json()["error"].is_string());
    EXPECT_EQ(refused.body.find(wrong_key), std::string::npos) << refused.body;
    const json stored = http_.Get(Url("/integrations/" + bad_id), As(a_owner_)).Json();
    EXPECT_EQ(stored["status"], "error");
    EXPECT_TRUE(stored["last_tested_at"].is_string());
    ASSERT_TRUE(stored["last_error"].is_string()) << stored.dump();
    EXPECT_FALSE(stored["last_error"].get<std::string>().empty());
    EXPECT_EQ(stored["last_error"].get<std::string>().find(wrong_key), std::string::npos) << stored["last_error"];
    EXPECT_EQ(stored.dump().find(wrong_key), std::string::npos);
    // The fake saw exactly one refused call: the wrong key's.
    const auto violations = fake.violations();
    ASSERT_EQ(violations.size(), 1U);
    EXPECT_NE(violations[0].find("401"), std::string::npos) << violations[0];

    // New credentials deserve a new test: the status comes back with them.
    const auto fixed =
        http_.Put(Url("/integrations/" + bad_id), json{{"config", {{"api_key", kStripeKey}}}}, As(a_owner_));
    ASSERT_EQ(fixed.status, 200) << fixed.body;
    const auto retested = http_.Post(Url("/integrations/" + bad_id + "/test"), "", As(a_owner_));
    ASSERT_EQ(retested.status, 200) << retested.body;
    EXPECT_EQ(retested.Json()["ok"], true);
    EXPECT_EQ(retested.Json()["integration"]["status"], "active");
    EXPECT_EQ(retested.Json()["integration"]["last_error"], nullptr);
    // Another tenant cannot test it.
    EXPECT_EQ(http_.Post(Url("/integrations/" + bad_id + "/test"), "", As(b_owner_)).status, 404);
}

TEST_F(PaymentGateways, EveryOtherProviderPassesItsConnectivityTest) {
    FakeRazorpay razorpay(kRazorpayKeyId, kRazorpaySecret);
    FakeSendGrid sendgrid("SG.kilnGateway.connectivity01");
    const std::string ses_key = "AKIAKILNTEST00000001";
    const std::string ses_secret = "kilnSesSecretAccessKey" + std::string(18, '0');
    FakeSes ses(ses_key, ses_secret, "eu-west-1");
    const std::string twilio_sid = "AC0123456789abcdef0123456789abcdef";
    const std::string twilio_token = "0123456789abcdef0123456789abcdef";
    FakeTwilio twilio(twilio_sid, twilio_token);

    const std::vector<std::pair<json, const FakeProviderBase*>> cases = {
        {{{"type", "razorpay"},
          {"name", "Razorpay connectivity"},
          {"config", {{"key_id", kRazorpayKeyId}, {"key_secret", kRazorpaySecret}}}},
         &razorpay},
        {{{"type", "sendgrid"},
          {"name", "SendGrid connectivity"},
          {"config", {{"api_key", "SG.kilnGateway.connectivity01"}, {"from_email", "billing@example.com"}}}},
         &sendgrid},
        {{{"type", "ses"},
          {"name", "SES connectivity"},
          {"config",
           {{"access_key_id", ses_key},
            {"secret_access_key", ses_secret},
            {"region", "eu-west-1"},
            {"from_email", "billing@example.com"}}}},
         &ses},
        {{{"type", "twilio"},
          {"name", "Twilio connectivity"},
          {"config", {{"account_sid", twilio_sid}, {"auth_token", twilio_token}, {"from_number", "+15005550006"}}}},
         &twilio},
    };
    for (const auto& [body, fake] : cases) {
        const std::string type = body["type"];
        const json integration = CreateIntegration(body, fake->base_url());
        const auto tested =
            http_.Post(Url("/integrations/" + integration["id"].get<std::string>() + "/test"), "", As(a_owner_));
        ASSERT_EQ(tested.status, 200) << type << ": " << tested.body;
        EXPECT_EQ(tested.Json()["ok"], true) << type << ": " << tested.body;
        EXPECT_EQ(tested.Json()["integration"]["status"], "active") << type;
        EXPECT_EQ(fake->requests().size(), 1U) << type;
        EXPECT_TRUE(fake->violations().empty()) << type << ": " << Violations(*fake);
    }
    EXPECT_EQ(RequestsTo(razorpay, "GET", "/v1/payments").size(), 1U);
    EXPECT_EQ(RequestsTo(sendgrid, "GET", "/v3/scopes").size(), 1U);
    EXPECT_EQ(RequestsTo(ses, "GET", "/v2/email/account").size(), 1U);
    EXPECT_EQ(RequestsTo(twilio, "GET", "/2010-04-01/Accounts/" + twilio_sid + ".json").size(), 1U);
}

TEST_F(PaymentGateways, RazorpayCheckoutSignatureSettlesTheInvoice) {
    FakeRazorpay fake(kRazorpayKeyId, kRazorpaySecret);
    RazorpayIntegration(fake);
    const json invoice = IssuedInvoice(49900, "INR");
    const std::string invoice_id = invoice["id"];
    const json payment = PendingPayment(invoice);
    const std::string id = payment["id"];

    const auto intent = Intent(id);
    ASSERT_EQ(intent.status, 200) << intent.body;
    const json created = intent.Json();
    EXPECT_EQ(created["payment"]["gateway"], "razorpay");
    const std::string order_id = created["payment"]["gateway_ref"];
    EXPECT_EQ(order_id.rfind("order_", 0), 0U) << order_id;
    EXPECT_EQ(created["key_id"], kRazorpayKeyId);  // Checkout needs it; the secret never leaves
    EXPECT_EQ(intent.body.find(kRazorpaySecret), std::string::npos);
    const auto orders = fake.orders();
    ASSERT_EQ(orders.size(), 1U);
    EXPECT_EQ(orders[0]["id"], order_id);
    EXPECT_EQ(orders[0]["amount"], 49900);  // paise
    EXPECT_EQ(orders[0]["currency"], "INR");
    EXPECT_EQ(orders[0]["receipt"], invoice["number"]);
    EXPECT_EQ(orders[0]["notes"]["kiln_payment_id"], id);

    // Asking again hands out the same order rather than a second one.
    const auto again = Intent(id);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.Json()["payment"]["gateway_ref"], order_id);
    EXPECT_EQ(fake.orders().size(), 1U);

    const std::string pay_id = fake.AddPayment(order_id, "captured");
    ASSERT_FALSE(pay_id.empty());
    const auto verify = [&](const std::string& order, const std::string& signature) {
        return http_.Post(Url("/payments/razorpay/verify"),
                          json{{"payment_id", id},
                               {"razorpay_order_id", order},
                               {"razorpay_payment_id", pay_id},
                               {"razorpay_signature", signature}},
                          As(a_owner_));
    };

    // A signature that does not match, or that was made over another order, settles nothing.
    const auto wrong = verify(order_id, std::string(64, 'a'));
    EXPECT_EQ(FieldErrors(wrong), std::vector<std::string>{"razorpay_signature"}) << wrong.body;
    const auto other_secret = verify(order_id, FakeRazorpay::PaymentSignature("anotherSecret01", order_id, pay_id));
    EXPECT_EQ(FieldErrors(other_secret), std::vector<std::string>{"razorpay_signature"}) << other_secret.body;
    const auto other_order =
        verify(order_id, FakeRazorpay::PaymentSignature(kRazorpaySecret, "order_Other0001", pay_id));
    EXPECT_EQ(FieldErrors(other_order), std::vector<std::string>{"razorpay_signature"}) << other_order.body;
    const auto claimed_other =
        verify("order_Other0001", FakeRazorpay::PaymentSignature(kRazorpaySecret, "order_Other0001", pay_id));
    EXPECT_EQ(claimed_other.status, 422) << claimed_other.body;
    EXPECT_EQ(Payment(id)["status"], "pending");
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["status"], "issued");
    EXPECT_EQ(Postings("payment", id), 0U);

    // The real signature settles the payment, the invoice and the ledger.
    const auto verified = verify(order_id, FakeRazorpay::PaymentSignature(kRazorpaySecret, order_id, pay_id));
    ASSERT_EQ(verified.status, 200) << verified.body;
    EXPECT_EQ(verified.Json()["verified"], true);
    EXPECT_EQ(verified.Json()["payment"]["status"], "succeeded");
    const json settled = Payment(id);
    EXPECT_EQ(settled["status"], "succeeded");
    EXPECT_TRUE(settled["succeeded_at"].is_string());
    EXPECT_EQ(settled["gateway_response"]["razorpay_payment_id"], pay_id);
    const json paid = http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json();
    EXPECT_EQ(paid["status"], "paid");
    EXPECT_EQ(paid["amount_due"], 0);
    EXPECT_EQ(Postings("payment", id), 1U);

    // Verifying again changes nothing.
    const auto repeated = verify(order_id, FakeRazorpay::PaymentSignature(kRazorpaySecret, order_id, pay_id));
    EXPECT_EQ(repeated.status, 200) << repeated.body;
    EXPECT_EQ(Postings("payment", id), 1U);
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["amount_paid"], 49900);
    // Another tenant cannot verify A's payment.
    const auto foreign =
        http_.Post(Url("/payments/razorpay/verify"),
                   json{{"payment_id", id},
                        {"razorpay_order_id", order_id},
                        {"razorpay_payment_id", pay_id},
                        {"razorpay_signature", FakeRazorpay::PaymentSignature(kRazorpaySecret, order_id, pay_id)}},
                   As(b_owner_));
    EXPECT_EQ(foreign.status, 404) << foreign.body;
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

// The fake's refund endpoint (Kiln has no gateway refund route yet): what Razorpay enforces, so that
// the adapter's refunds can be tested against it.
TEST_F(PaymentGateways, FakeRazorpayRefundsCapturedPaymentsOncePerKey) {
    FakeRazorpay fake(kRazorpayKeyId, kRazorpaySecret);
    const HeaderList auth = {
        {"Authorization", "Basic " + fakeutil::Base64Encode(std::string(kRazorpayKeyId) + ":" + kRazorpaySecret)},
        {"Content-Type", "application/json"}};
    const auto order = http_.Post(fake.base_url() + "/v1/orders", json{{"amount", 10000}, {"currency", "INR"}}, auth);
    ASSERT_EQ(order.status, 200) << order.body;
    const std::string order_id = order.Json()["id"];
    const std::string authorized = fake.AddPayment(order_id, "authorized");
    const std::string captured = fake.AddPayment(order_id, "captured");
    const auto refund = [&](const std::string& payment, const json& body, const std::string& key) {
        HeaderList headers = auth;
        if (!key.empty()) headers.emplace_back("X-Refund-Idempotency", key);
        return http_.Post(fake.base_url() + "/v1/payments/" + payment + "/refund", body, headers);
    };

    EXPECT_EQ(refund(authorized, json::object(), "kiln-refund-0001").status, 400);  // not captured
    const auto partial = refund(captured, json{{"amount", 2500}}, "kiln-refund-0002");
    ASSERT_EQ(partial.status, 200) << partial.body;
    EXPECT_EQ(partial.Json()["entity"], "refund");
    EXPECT_EQ(partial.Json()["amount"], 2500);
    EXPECT_EQ(partial.Json()["payment_id"], captured);
    // The same key answers the same refund; with other parameters it is refused.
    const auto replay = refund(captured, json{{"amount", 2500}}, "kiln-refund-0002");
    ASSERT_EQ(replay.status, 200) << replay.body;
    EXPECT_EQ(replay.Json()["id"], partial.Json()["id"]);
    EXPECT_EQ(refund(captured, json{{"amount", 3000}}, "kiln-refund-0002").status, 400);
    EXPECT_EQ(refund(captured, json{{"amount", 9000}}, "kiln-refund-0003").status, 400);  // more than is left
    const auto rest = refund(captured, json::object(), "kiln-refund-0004");
    ASSERT_EQ(rest.status, 200) << rest.body;
    EXPECT_EQ(rest.Json()["amount"], 7500);
    EXPECT_EQ((*fake.payment(captured))["status"], "refunded");
    EXPECT_EQ((*fake.payment(captured))["amount_refunded"], 10000);
    EXPECT_EQ(refund(captured, json::object(), "kiln-refund-0005").status, 400);  // nothing left
    EXPECT_EQ(fake.refunds().size(), 2U);

    const auto listed = http_.Get(fake.base_url() + "/v1/payments?count=1", auth);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.Json()["entity"], "collection");
    EXPECT_EQ(listed.Json()["count"], 1);
    EXPECT_EQ(listed.Json()["items"][0]["id"], captured);  // newest first
    // Four refusals above, each one recorded.
    EXPECT_EQ(fake.violations().size(), 4U) << Violations(fake);
}

TEST_F(PaymentGateways, AGatewayPaymentIsRefundedAtItsGatewayOnce) {
    FakeStripe fake(kStripeKey);
    const std::string integration = StripeIntegration(fake)["id"];
    const json invoice = IssuedInvoice(2500, "EUR");
    const std::string invoice_id = invoice["id"];
    const std::string id = PendingPayment(invoice)["id"];
    const auto intent = Intent(id);
    ASSERT_EQ(intent.status, 200) << intent.body;
    const std::string pi = intent.Json()["payment"]["gateway_ref"];

    // The payer pays: Stripe says so by webhook.
    fake.SetIntentStatus(pi, "succeeded");
    const std::string event = FakeStripe::EventJson("evt_refund_" + id, "payment_intent.succeeded", *fake.intent(pi));
    const auto delivered = http_.Post(
        Url("/hooks/" + integration), event,
        {{"Stripe-Signature", FakeStripe::SignatureHeader("whsec_GatewayTest0001", event, std::time(nullptr))},
         {"Content-Type", "application/json"}});
    ASSERT_EQ(delivered.status, 200) << delivered.body;
    ASSERT_TRUE(Eventually([&] { return Payment(id)["status"] == "succeeded"; })) << Payment(id).dump();

    const auto refunded = http_.Post(Url("/payments/" + id + "/refund"), "", As(a_owner_));
    ASSERT_EQ(refunded.status, 200) << refunded.body;
    EXPECT_EQ(refunded.Json()["status"], "refunded");
    EXPECT_EQ(refunded.Json()["gateway_response"]["refund"]["status"], "succeeded");
    const auto refunds = fake.refunds();
    ASSERT_EQ(refunds.size(), 1U);
    EXPECT_EQ(refunds[0]["payment_intent"], pi);
    EXPECT_EQ(refunds[0]["amount"], 2500);  // the whole payment
    const auto posts = RequestsTo(fake, "POST", "/v1/refunds");
    ASSERT_EQ(posts.size(), 1U);
    EXPECT_EQ(posts[0].Header("Idempotency-Key").value_or(""), "kiln-refund-" + id);
    EXPECT_EQ(Form(posts[0].body)["amount"], "2500");  // the recorded amount, never "whatever is left"
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["status"], "issued");
    EXPECT_EQ(Postings("refund", id), 1U);

    // Refunding again is refused before any call to the gateway.
    EXPECT_EQ(http_.Post(Url("/payments/" + id + "/refund"), "", As(a_owner_)).status, 409);
    EXPECT_EQ(RequestsTo(fake, "POST", "/v1/refunds").size(), 1U);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

TEST_F(PaymentGateways, AGatewayRefusingTheRefundLeavesThePaymentSucceeded) {
    FakeRazorpay fake(kRazorpayKeyId, kRazorpaySecret);
    RazorpayIntegration(fake);
    const json invoice = IssuedInvoice(49900, "INR");
    const std::string id = PendingPayment(invoice)["id"];
    const auto intent = Intent(id);
    ASSERT_EQ(intent.status, 200) << intent.body;
    const std::string order_id = intent.Json()["payment"]["gateway_ref"];
    const std::string pay_id = fake.AddPayment(order_id, "captured");
    const auto verified =
        http_.Post(Url("/payments/razorpay/verify"),
                   json{{"payment_id", id},
                        {"razorpay_order_id", order_id},
                        {"razorpay_payment_id", pay_id},
                        {"razorpay_signature", FakeRazorpay::PaymentSignature(kRazorpaySecret, order_id, pay_id)}},
                   As(a_owner_));
    ASSERT_EQ(verified.status, 200) << verified.body;

    fake.FailNext(1, Reply{400, R"({"error":{"code":"BAD_REQUEST_ERROR","description":"refund window closed"}})", {}});
    const auto refused = http_.Post(Url("/payments/" + id + "/refund"), "", As(a_owner_));
    EXPECT_EQ(refused.status, 502) << refused.body;
    EXPECT_NE(refused.body.find("refund window closed"), std::string::npos) << refused.body;
    EXPECT_EQ(Payment(id)["status"], "succeeded");
    EXPECT_EQ(Postings("refund", id), 0U);

    // Once the gateway accepts, the captured payment (not the order) is refunded.
    const auto refunded = http_.Post(Url("/payments/" + id + "/refund"), "", As(a_owner_));
    ASSERT_EQ(refunded.status, 200) << refunded.body;
    ASSERT_EQ(fake.refunds().size(), 1U);
    EXPECT_EQ(fake.refunds()[0]["payment_id"], pay_id);
    EXPECT_EQ(Postings("refund", id), 1U);
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

// Issue 12, item 3: a client could record a 1-cent manual payment naming another payment's
// PaymentIntent, then refund it in full through the gateway. Only Kiln sets gateway fields now.
TEST_F(PaymentGateways, AManualPaymentCannotBorrowAnotherPaymentsGatewayReference) {
    FakeStripe fake(kStripeKey);
    StripeIntegration(fake);
    // Someone else's payment of 500.00, paid through Stripe.
    const json victim = PendingPayment(IssuedInvoice(50000, "EUR"));
    const auto intent = Intent(victim["id"]);
    ASSERT_EQ(intent.status, 200) << intent.body;
    const std::string pi = intent.Json()["payment"]["gateway_ref"];
    fake.SetIntentStatus(pi, "succeeded");

    const json invoice = IssuedInvoice(100, "EUR");
    const json cent = {{"invoice_id", invoice["id"]}, {"amount", 1}, {"currency", "EUR"}, {"method", "card"}};
    json borrowed = cent;
    borrowed["gateway"] = "stripe";
    borrowed["gateway_ref"] = pi;
    const auto refused = http_.Post(Url("/payments"), borrowed, As(a_owner_));
    EXPECT_EQ(FieldErrors(refused), (std::vector<std::string>{"gateway", "gateway_ref"})) << refused.body;
    EXPECT_NE(refused.body.find("is set by Kiln only"), std::string::npos) << refused.body;
    for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
             {"gateway", "manual"}, {"gateway_ref", nullptr}, {"gateway_response", json{{"id", pi}}}}) {
        json body = cent;
        body[field] = value;
        const auto response = http_.Post(Url("/payments"), body, As(a_owner_));
        EXPECT_EQ(FieldErrors(response), std::vector<std::string>{field}) << response.body;
    }
    const auto listed = http_.Get(Url("/payments?invoice_id=" + invoice["id"].get<std::string>()), As(a_owner_));
    EXPECT_TRUE(listed.Json()["data"].empty()) << listed.body;

    // The cent recorded the honest way is manual: refunding it never reaches the gateway.
    const json manual = Created(http_.Post(Url("/payments"), cent, As(a_owner_)));
    EXPECT_EQ(manual["gateway"], "manual");
    EXPECT_EQ(manual["gateway_ref"], nullptr);
    const auto refunded = http_.Post(Url("/payments/" + manual["id"].get<std::string>() + "/refund"), "", As(a_owner_));
    ASSERT_EQ(refunded.status, 200) << refunded.body;
    EXPECT_TRUE(RequestsTo(fake, "POST", "/v1/refunds").empty());
    EXPECT_TRUE(fake.refunds().empty());
    EXPECT_EQ((*fake.intent(pi))["status"], "succeeded");
    EXPECT_TRUE(fake.violations().empty()) << Violations(fake);
}

// Issue 12, item 3: a verified gateway event settles its payment only when the amount and currency
// it reports are the payment's; otherwise the payment stays as it was, flagged.
TEST_F(PaymentGateways, AGatewayEventThatDoesNotMatchItsPaymentSettlesNothing) {
    FakeStripe fake(kStripeKey);
    const std::string integration = StripeIntegration(fake)["id"];
    const json invoice = IssuedInvoice(2500, "EUR");
    const std::string invoice_id = invoice["id"];
    const std::string id = PendingPayment(invoice)["id"];
    const auto intent = Intent(id);
    ASSERT_EQ(intent.status, 200) << intent.body;
    const std::string pi = intent.Json()["payment"]["gateway_ref"];
    fake.SetIntentStatus(pi, "succeeded");
    const json paid = *fake.intent(pi);
    ASSERT_EQ(paid["amount_received"], 2500) << paid.dump();
    const auto refusal = [&] {
        const json response = Payment(id)["gateway_response"];
        return response.is_object() ? response.value("/settlement_refused/reason"_json_pointer, std::string()) : "";
    };

    json short_paid = paid;
    short_paid["amount_received"] = 1;
    ASSERT_EQ(DeliverStripeEvent(integration, "evt_short_" + id, "payment_intent.succeeded", short_paid).status, 200);
    ASSERT_TRUE(Eventually([&] { return !refusal().empty(); })) << Payment(id).dump();
    EXPECT_NE(refusal().find("pays 1"), std::string::npos) << refusal();
    EXPECT_EQ(Payment(id)["status"], "pending");

    json other_currency = paid;
    other_currency["currency"] = "usd";
    ASSERT_EQ(DeliverStripeEvent(integration, "evt_usd_" + id, "payment_intent.succeeded", other_currency).status, 200);
    ASSERT_TRUE(Eventually([&] { return refusal().find("usd") != std::string::npos; })) << Payment(id).dump();
    EXPECT_EQ(Payment(id)["status"], "pending");
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["amount_paid"], 0);
    EXPECT_EQ(Postings("payment", id), 0U);

    // The genuine event settles it.
    ASSERT_EQ(DeliverStripeEvent(integration, "evt_paid_" + id, "payment_intent.succeeded", paid).status, 200);
    ASSERT_TRUE(Eventually([&] { return Payment(id)["status"] == "succeeded"; })) << Payment(id).dump();
    EXPECT_EQ(http_.Get(Url("/invoices/" + invoice_id), As(a_owner_)).Json()["status"], "paid");
    EXPECT_EQ(Postings("payment", id), 1U);
}

}  // namespace
}  // namespace kiln::testing
