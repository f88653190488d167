// Email and SMS through the real binary against local providers (tests/integration/fake_providers):
// the tenant's default email integration decides between SendGrid and SES, queued messages are sent
// by jobs, every send is recorded with the provider's id or the error, a send is retried only when
// the provider never answered, and a workflow's send_email sends once however often its run repeats.
#include <unistd.h>

#include "api_fixture.hpp"
#include "fake_providers/fake_sendgrid.hpp"
#include "fake_providers/fake_ses.hpp"
#include "fake_providers/fake_twilio.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

const std::string kSendGridKey = "SG.messaging-test-key.s3cr3tPartThatMustNotLeak";
const std::string kSesKeyId = "AKIAMESSAGINGTEST001";
const std::string kSesSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYMESSAGINGK";
const std::string kTwilioSid = "AC0123456789abcdef0123456789abcdef";
const std::string kTwilioToken = "0123456789abcdef0123456789abcdef";

class Messaging : public ApiTest {
  protected:
    /// Creates an integration whose calls the operator sends to `base_url` (a local stand-in of the
    /// provider) and returns its id; `is_default` makes it the tenant's provider.
    std::string CreateIntegration(const std::string& type, const json& config, const std::string& base_url,
                                  bool is_default = true) {
        const auto response = http_.Post(
            Url("/integrations"),
            json{{"type", type}, {"name", type + " " + Unique("it")}, {"config", config}, {"is_default", is_default}},
            As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        const std::string id = response.Json().value("id", "");
        if (!id.empty()) PointAt(id, base_url);
        return id;
    }

    std::string SendGrid(const FakeSendGrid& fake) {
        return CreateIntegration(
            "sendgrid", {{"api_key", kSendGridKey}, {"from_email", "billing@kiln.test"}, {"from_name", "Kiln Billing"}},
            fake.base_url());
    }

    std::string Twilio(const std::string& base_url) {
        return CreateIntegration(
            "twilio", {{"account_sid", kTwilioSid}, {"auth_token", kTwilioToken}, {"from_number", "+15005550006"}},
            base_url);
    }

    json Message(const std::string& id) {
        const auto response = http_.Get(Url("/messages/" + id), As(a_owner_));
        EXPECT_EQ(response.status, 200) << response.body;
        return response.Json();
    }

    /// Waits until the queued message has been handled by its job (sent, or failed for good).
    json Settled(const std::string& id) {
        json message;
        EXPECT_TRUE(Eventually([&] {
            message = Message(id);
            return !message["sent_at"].is_null() || message["status"] == "failed";
        })) << message.dump()
            << server_->Output();
        return message;
    }

    /// The send job of a queued message once it has finished (its dedupe key names the message).
    json FinishedJobOf(const json& message) {
        json found;
        EXPECT_TRUE(Eventually([&] {
            const json jobs = http_.Get(Url("/jobs?limit=200"), As(a_owner_)).Json();
            for (const auto& job : jobs["data"])
                if (job["dedupe_key"] == "message:" + message["id"].get<std::string>()) found = job;
            return found.is_object() && found["state"] != "queued" && found["state"] != "running";
        })) << found.dump();
        return found;
    }

    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }
};

TEST_F(Messaging, TestEmailThroughSendGridSendsTheDocumentedJsonAndRecordsTheMessageId) {
    FakeSendGrid fake(kSendGridKey);
    const std::string integration = SendGrid(fake);

    const auto response = http_.Post(
        Url("/integrations/email/test"),
        json{{"to", "ops@example.com"}, {"subject", "Hello"}, {"text", "Plain body"}, {"html", "<p>HTML body</p>"}},
        As(a_owner_));
    ASSERT_EQ(response.status, 200) << response.body;
    const json message = response.Json();

    ASSERT_EQ(fake.sent().size(), 1U);
    // Exactly what SendGrid documents: one personalization, the integration's sender, text/plain before
    // text/html, and the message id in custom_args so SendGrid's events lead back to the row.
    const json expected = {
        {"personalizations",
         {{{"to", {{{"email", "ops@example.com"}}}},
           {"subject", "Hello"},
           {"custom_args", {{"kiln_message_id", message["id"]}}}}}},
        {"from", {{"email", "billing@kiln.test"}, {"name", "Kiln Billing"}}},
        {"content",
         {{{"type", "text/plain"}, {"value", "Plain body"}}, {{"type", "text/html"}, {"value", "<p>HTML body</p>"}}}}};
    EXPECT_EQ(fake.sent()[0], expected) << fake.sent()[0].dump(2);
    EXPECT_EQ(fake.requests().at(0).Header("Authorization").value_or(""), "Bearer " + kSendGridKey);

    EXPECT_EQ(message["channel"], "email");
    EXPECT_EQ(message["provider"], "sendgrid");
    EXPECT_EQ(message["integration_id"], integration);
    EXPECT_EQ(message["provider_message_id"], fake.message_ids()[0]);
    EXPECT_EQ(message["status"], "queued");  // SendGrid's 202: accepted into its queue
    EXPECT_EQ(message["source"], "test");
    EXPECT_EQ(message["subject"], "Hello");
    EXPECT_EQ(message["recipients"], (json{{"to", {"ops@example.com"}}}));
    EXPECT_FALSE(message["sent_at"].is_null());
    EXPECT_TRUE(message["error"].is_null());
    EXPECT_EQ(Message(message["id"]), message);

    const json listed = http_.Get(Url("/messages?channel=email&limit=1"), As(a_owner_)).Json();
    ASSERT_EQ(listed["data"].size(), 1U);
    EXPECT_EQ(listed["data"][0]["id"], message["id"]);
    EXPECT_TRUE(http_.Get(Url("/messages?channel=sms&status=delivered"), As(a_owner_)).Json()["data"].empty());
    EXPECT_EQ(FieldErrors(http_.Get(Url("/messages?channel=fax&status=lost"), As(a_owner_))),
              (std::vector<std::string>{"channel", "status"}));
    // Another tenant sees nothing of it.
    EXPECT_EQ(http_.Get(Url("/messages/" + message["id"].get<std::string>()), As(b_owner_)).status, 404);
    EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_F(Messaging, SesIsChosenAsTheDefaultSignsItsCallsAndSendsAttachmentsAsRawMime) {
    FakeSes fake(kSesKeyId, kSesSecret, "eu-west-1");
    CreateIntegration("ses",
                      {{"access_key_id", kSesKeyId},
                       {"secret_access_key", kSesSecret},
                       {"region", "eu-west-1"},
                       {"from_email", "noreply@kiln.test"}},
                      fake.base_url());

    const auto test = http_.Post(Url("/integrations/email/test"), json{{"to", "ops@example.com"}}, As(a_owner_));
    ASSERT_EQ(test.status, 200) << test.body;
    ASSERT_EQ(fake.sent().size(), 1U);
    EXPECT_EQ(test.Json()["provider"], "ses");
    EXPECT_EQ(test.Json()["provider_message_id"], fake.message_ids()[0]);
    EXPECT_EQ(fake.sent()[0]["Destination"]["ToAddresses"], json::array({"ops@example.com"}));
    EXPECT_TRUE(fake.sent()[0]["Content"].contains("Simple")) << fake.sent()[0].dump();
    EXPECT_EQ(fake.sent()[0]["Content"]["Simple"]["Subject"]["Data"], "Kiln test email");

    // An attachment needs a MIME message of Kiln's own (Content.Raw); the job sends it.
    const auto queued = http_.Post(Url("/messages/email"),
                                   json{{"to", {"customer@example.com"}},
                                        {"cc", {"accounts@example.com"}},
                                        {"subject", "Invoice INV-42"},
                                        {"text", "Your invoice is attached."},
                                        {"attachments",
                                         {{{"filename", "invoice.txt"},
                                           {"content_type", "text/plain"},
                                           {"content_base64", fakeutil::Base64Encode("Invoice 42: 10.00 EUR")}}}}},
                                   As(a_owner_));
    ASSERT_EQ(queued.status, 202) << queued.body;
    EXPECT_EQ(queued.Json()["status"], "queued");
    EXPECT_TRUE(queued.Json()["provider_message_id"].is_null());
    EXPECT_EQ(queued.Json()["recipients"], (json{{"to", {"customer@example.com"}}, {"cc", {"accounts@example.com"}}}));

    const json sent = Settled(queued.Json()["id"]);
    ASSERT_EQ(fake.sent().size(), 2U) << sent.dump();
    EXPECT_EQ(sent["provider_message_id"], fake.message_ids()[1]);
    EXPECT_EQ(sent["source"], "api");
    EXPECT_EQ(fake.sent()[1]["Destination"]["CcAddresses"], json::array({"accounts@example.com"}));
    const auto raw = fake.decoded_raw(1);
    ASSERT_TRUE(raw.has_value()) << fake.sent()[1].dump();
    EXPECT_NE(raw->find("Subject: Invoice INV-42"), std::string::npos) << *raw;
    EXPECT_NE(raw->find("invoice.txt"), std::string::npos) << *raw;
    EXPECT_NE(raw->find(fakeutil::Base64Encode("Invoice 42: 10.00 EUR")), std::string::npos) << *raw;

    // What the schema cannot see is still checked before anything is queued.
    const auto bad = http_.Post(Url("/messages/email"),
                                json{{"to", json::array()},
                                     {"subject", "x"},
                                     {"attachments", {{{"filename", "a.bin"}, {"content_base64", "%%%"}}}}},
                                As(a_owner_));
    EXPECT_EQ(FieldErrors(bad), (std::vector<std::string>{"to", "text"})) << bad.body;
    const auto undecodable = http_.Post(Url("/messages/email"),
                                        json{{"to", {"a@example.com"}},
                                             {"subject", "x"},
                                             {"text", "y"},
                                             {"attachments", {{{"filename", "a.bin"}, {"content_base64", "%%%"}}}}},
                                        As(a_owner_));
    EXPECT_EQ(FieldErrors(undecodable), std::vector<std::string>{"attachments[0].content_base64"}) << undecodable.body;
    EXPECT_EQ(fake.sent().size(), 2U);
    EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_F(Messaging, SmsIsSentByAJobThroughTwilioAndRecordsTheSid) {
    FakeTwilio fake(kTwilioSid, kTwilioToken);
    const std::string integration = Twilio(fake.base_url());

    EXPECT_EQ(FieldErrors(http_.Post(Url("/messages/sms"), json{{"to", "0415555"}, {"body", "x"}}, As(a_owner_))),
              std::vector<std::string>{"to"});
    const auto queued =
        http_.Post(Url("/messages/sms"), json{{"to", "+14155550100"}, {"body", "Your order shipped"}}, As(a_owner_));
    ASSERT_EQ(queued.status, 202) << queued.body;
    EXPECT_EQ(queued.Json()["status"], "queued");
    EXPECT_EQ(queued.Json()["integration_id"], integration);
    EXPECT_TRUE(queued.Json()["sent_at"].is_null());

    const json sent = Settled(queued.Json()["id"]);
    const auto messages = fake.messages();
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(sent["provider_message_id"], messages[0]["sid"]);
    EXPECT_EQ(sent["provider_message_id"].get<std::string>().rfind("SM", 0), 0U);
    EXPECT_EQ(sent["status"], "queued");  // Twilio's first word for a message sent from a number
    EXPECT_EQ(sent["recipients"], (json{{"to", {"+14155550100"}}}));
    EXPECT_EQ(messages[0]["to"], "+14155550100");
    EXPECT_EQ(messages[0]["from"], "+15005550006");
    EXPECT_EQ(messages[0]["body"], "Your order shipped");
    const json job = FinishedJobOf(sent);
    EXPECT_EQ(job["kind"], "message.send_sms");
    EXPECT_EQ(job["attempts"], 1) << job;
    EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

TEST_F(Messaging, ProviderFailuresAreRecordedAsFailedWithoutSecretsAndNotRetriedAfterAnAnswer) {
    FakeSendGrid fake(kSendGridKey);
    SendGrid(fake);

    fake.FailNext(1, Reply{500, R"({"errors":[{"message":"internal error"}]})", {}});
    const auto down = http_.Post(Url("/integrations/email/test"), json{{"to", "ops@example.com"}}, As(a_owner_));
    EXPECT_EQ(down.status, 502) << down.body;
    json failed = http_.Get(Url("/messages?status=failed&limit=1"), As(a_owner_)).Json()["data"][0];
    EXPECT_EQ(failed["provider"], "sendgrid");
    EXPECT_EQ(failed["source"], "test");
    EXPECT_TRUE(failed["sent_at"].is_null());
    EXPECT_NE(failed["error"].get<std::string>().find("HTTP 500"), std::string::npos) << failed;
    const std::string first_failure = failed["id"];

    // A refusal that quotes the key: neither the response nor the record may repeat it.
    fake.FailNext(1, Reply{401, R"({"errors":[{"message":"The key )" + kSendGridKey + R"( is revoked"}]})", {}});
    const auto refused = http_.Post(Url("/integrations/email/test"), json{{"to", "ops@example.com"}}, As(a_owner_));
    EXPECT_EQ(refused.status, 502) << refused.body;
    EXPECT_EQ(refused.body.find(kSendGridKey), std::string::npos) << refused.body;
    EXPECT_EQ(refused.body.find("s3cr3tPartThatMustNotLeak"), std::string::npos) << refused.body;
    failed = http_.Get(Url("/messages?status=failed&limit=1"), As(a_owner_)).Json()["data"][0];
    EXPECT_NE(failed["id"], first_failure);
    EXPECT_NE(failed["error"].get<std::string>().find("HTTP 401"), std::string::npos) << failed;
    EXPECT_EQ(failed.dump().find("s3cr3tPartThatMustNotLeak"), std::string::npos) << failed;
    EXPECT_TRUE(fake.sent().empty());
    EXPECT_EQ(fake.requests().size(), 2U);

    // A queued SMS the provider answers with a 5xx: the message may exist at Twilio, so no retry.
    FakeTwilio twilio(kTwilioSid, kTwilioToken);
    Twilio(twilio.base_url());
    twilio.FailNext(1, Reply{503, R"({"code":20500,"message":"Service unavailable","status":503})", {}});
    const auto queued = http_.Post(Url("/messages/sms"), json{{"to", "+14155550101"}, {"body", "hi"}}, As(a_owner_));
    ASSERT_EQ(queued.status, 202) << queued.body;
    const json sms = Settled(queued.Json()["id"]);
    EXPECT_EQ(sms["status"], "failed") << sms;
    EXPECT_NE(sms["error"].get<std::string>().find("503"), std::string::npos) << sms;
    EXPECT_EQ(twilio.requests().size(), 1U);
    EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
    EXPECT_EQ(FinishedJobOf(sms)["attempts"], 1);
    EXPECT_TRUE(twilio.violations().empty()) << twilio.violations().front();
}

TEST_F(Messaging, ASendTheProviderNeverAnsweredIsRetriedThenFailed) {
    // Nothing listens on this port: every attempt is refused before the provider could see anything.
    const RefusingPort closed;
    Twilio("http://127.0.0.1:" + std::to_string(closed.port()));
    const auto queued = http_.Post(Url("/messages/sms"), json{{"to", "+14155550102"}, {"body", "hi"}}, As(a_owner_));
    ASSERT_EQ(queued.status, 202) << queued.body;
    json message;
    ASSERT_TRUE(Eventually(
        [&] {
            message = Message(queued.Json()["id"]);
            return message["status"] == "failed";
        },
        std::chrono::seconds(60)))
        << message.dump() << server_->Output();
    // "no answer (connect_failed)", or the circuit breaker that opened after the repeated failures.
    EXPECT_NE(message["error"].get<std::string>().find("twilio: "), std::string::npos) << message;
    EXPECT_TRUE(message["sent_at"].is_null());
    const json job = FinishedJobOf(message);
    EXPECT_EQ(job["attempts"], 5) << job;
    EXPECT_EQ(job["state"], "succeeded") << job;  // the outcome is on the message
}

TEST_F(Messaging, AWorkflowSendEmailSendsOnceHoweverOftenItsRunRepeats) {
    FakeSendGrid fake(kSendGridKey);
    const std::string sendgrid = SendGrid(fake);
    const std::string sku = Unique("mail");

    // Saving checks what can be checked before the event: the address and the integration.
    const std::string twilio = Twilio("http://127.0.0.1:9");
    const auto bad = http_.Post(
        Url("/workflows"),
        json{{"name", "bad mail"},
             {"trigger_event", "product.created"},
             {"actions",
              {{{"type", "send_email"}, {"params", {{"to", "not-an-address"}, {"subject", "x"}, {"text", "y"}}}},
               {{"type", "send_email"},
                {"params", {{"to", "ops@example.com"}, {"subject", "x"}, {"text", "y"}, {"integration_id", twilio}}}},
               {{"type", "send_sms"}, {"params", {{"to", "{{data.product.sku}}"}, {"body", "x"}}}}}}},
        As(a_owner_));
    EXPECT_EQ(FieldErrors(bad), (std::vector<std::string>{"actions[0].params.to", "actions[1].params.integration_id"}))
        << bad.body;

    const auto rule =
        http_.Post(Url("/workflows"),
                   json{{"name", "mail on " + sku},
                        {"trigger_event", "product.created"},
                        {"conditions", {{{"field", "product.sku"}, {"op", "equals"}, {"value", sku}}}},
                        {"actions",
                         {{{"type", "send_email"},
                           {"params",
                            {{"to", "ops@example.com, {{data.product.currency}}-desk@example.com"},
                             {"subject", "New product {{data.product.sku}}"},
                             {"text", "Price {{data.product.unit_price}} {{data.product.currency}}"}}}}}}},
                   As(a_owner_));
    ASSERT_EQ(rule.status, 201) << rule.body;
    const std::string rule_id = rule.Json()["id"];
    const auto product =
        http_.Post(Url("/products"),
                   json{{"sku", sku}, {"name", "P " + sku}, {"unit_price", 1250}, {"currency", "EUR"}}, As(a_owner_));
    ASSERT_EQ(product.status, 201) << product.body;

    json logs;
    ASSERT_TRUE(Eventually([&] {
        logs = http_.Get(Url("/workflows/" + rule_id + "/logs"), As(a_owner_)).Json()["data"];
        return logs.size() == 1;
    })) << server_->Output();
    EXPECT_EQ(logs[0]["status"], "succeeded") << logs[0];
    const json result = logs[0]["results"][0]["result"];
    ASSERT_EQ(fake.sent().size(), 1U);
    const json mail = fake.sent()[0];
    EXPECT_EQ(mail["personalizations"][0]["to"],
              (json{{{"email", "ops@example.com"}}, {{"email", "EUR-desk@example.com"}}}));
    EXPECT_EQ(mail["personalizations"][0]["subject"], "New product " + sku);
    EXPECT_EQ(mail["content"], (json{{{"type", "text/plain"}, {"value", "Price 1250 EUR"}}}));
    EXPECT_EQ(mail["personalizations"][0]["custom_args"]["kiln_message_id"], result["message_id"]);
    const json message = Message(result["message_id"]);
    EXPECT_EQ(message["source"], "workflow");
    EXPECT_EQ(message["integration_id"], sendgrid);
    EXPECT_EQ(message["provider_message_id"], fake.message_ids()[0]);

    // The same run again (as after a crash before its log was written): the action finds its message.
    std::string out;
    ASSERT_EQ(server_->Cli({"admin", "enqueue-job", "--tenant", "demo", "--kind", "workflow.run", "--payload",
                            json{{"rule_id", rule_id}, {"event_id", logs[0]["event_id"]}}.dump()},
                           &out),
              0)
        << out;
    ASSERT_TRUE(Eventually([&] {
        logs = http_.Get(Url("/workflows/" + rule_id + "/logs"), As(a_owner_)).Json()["data"];
        return logs.size() == 2;
    })) << server_->Output();
    for (const auto& log : logs) {
        EXPECT_EQ(log["status"], "succeeded") << log;
        EXPECT_EQ(log["results"][0]["result"]["message_id"], result["message_id"]) << log;
    }
    EXPECT_EQ(fake.sent().size(), 1U);
    EXPECT_EQ(fake.requests().size(), 1U);
    EXPECT_EQ(http_.Delete(Url("/workflows/" + rule_id), As(a_owner_)).status, 204);
    EXPECT_TRUE(fake.violations().empty()) << fake.violations().front();
}

}  // namespace
}  // namespace kiln::testing
