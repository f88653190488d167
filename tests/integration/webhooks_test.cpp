// Outgoing webhooks through the real binary: subscriptions are checked when saved (URL guard,
// event types), every matching event reaches the receiver signed per Standard Webhooks (verified
// here with the test's own HMAC code), failures are retried, 410 disables, skipped deliveries are
// recovered, and a killed process loses nothing.
#include <atomic>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "http_receiver.hpp"
#include "standard_webhooks_verifier.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Webhooks : public ApiTest {
  protected:
    json Subscribe(const std::string& url, const json& events) {
        const auto response =
            http_.Post(Url("/integrations/webhooks"), json{{"target_url", url}, {"events", events}}, As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json();
    }

    std::string CreateProduct(const std::string& sku) {
        const auto response =
            http_.Post(Url("/products"), json{{"sku", sku}, {"name", sku}, {"unit_price", 100}, {"currency", "EUR"}},
                       As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json().value("id", "");
    }

    json Deliveries(const std::string& subscription, const std::string& query = "") {
        json body =
            http_.Get(Url("/integrations/webhooks/" + subscription + "/deliveries" + query), As(a_owner_)).Json();
        return body.value("data", json::array());
    }

    void Unsubscribe(const std::string& id) {
        EXPECT_EQ(http_.Delete(Url("/integrations/webhooks/" + id), As(a_owner_)).status, 204);
    }

    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }
};

TEST_F(Webhooks, SavingChecksTheUrlAndTheEventTypesAndWritesNothingOnError) {
    const auto before = http_.Get(Url("/integrations/webhooks?limit=200"), As(a_owner_)).Json()["data"].size();
    const auto refused = [&](const std::string& url) {
        const auto response = http_.Post(Url("/integrations/webhooks"),
                                         json{{"target_url", url}, {"events", {"invoice.paid"}}}, As(a_owner_));
        EXPECT_EQ(FieldErrors(response), std::vector<std::string>{"target_url"}) << url << ": " << response.body;
    };
    // Internal addresses in every spelling (the server allows only 127.0.0.0/8 for the tests).
    for (const auto* url :
         {"https://10.0.0.1/hook", "https://169.254.169.254/latest", "https://[::ffff:10.0.0.1]/", "https://167772161/",
          "https://012.0.0.1/", "https://0xa.0.0.1/", "https://[fd00::1]/", "https://[fe80::1]/", "https://100.64.0.1/",
          "ftp://127.0.0.1/", "not a url", "https://user:pw@127.0.0.1/"})
        refused(url);

    const auto bad_events = http_.Post(
        Url("/integrations/webhooks"),
        json{{"target_url", "http://127.0.0.1:9/hook"}, {"events", {"invoice.*", "invoice.exploded", "inv*", "*"}}},
        As(a_owner_));
    EXPECT_EQ(FieldErrors(bad_events), (std::vector<std::string>{"events[1]", "events[2]"})) << bad_events.body;
    EXPECT_EQ(
        FieldErrors(http_.Post(Url("/integrations/webhooks"),
                               json{{"target_url", "http://127.0.0.1:9/"}, {"events", json::array()}}, As(a_owner_))),
        std::vector<std::string>{"events"});
    EXPECT_EQ(http_.Get(Url("/integrations/webhooks?limit=200"), As(a_owner_)).Json()["data"].size(), before);

    // The secret is shown when created and never again.
    const json created = Subscribe("http://127.0.0.1:9/hook", {"invoice.*"});
    const std::string secret = created["secret"];
    EXPECT_TRUE(secret.starts_with("whsec_"));
    EXPECT_GE(Unbase64(secret.substr(6)).size(), 24U);
    const auto shown = http_.Get(Url("/integrations/webhooks/" + created["id"].get<std::string>()), As(a_owner_));
    EXPECT_EQ(shown.body.find(secret.substr(6)), std::string::npos);
    EXPECT_EQ(http_.Get(Url("/integrations/webhooks"), As(a_owner_)).body.find(secret.substr(6)), std::string::npos);
    // Another tenant does not see it.
    EXPECT_EQ(http_.Get(Url("/integrations/webhooks/" + created["id"].get<std::string>()), As(b_owner_)).status, 404);
    Unsubscribe(created["id"]);
}

TEST_F(Webhooks, EveryMatchingEventArrivesSignedAndVerifies) {
    HttpReceiver receiver;
    const json subscription = Subscribe(receiver.Url("/kiln"), {"product.*"});
    const std::string secret = subscription["secret"];
    const std::string sku = Unique("signed");
    const std::string product = CreateProduct(sku);
    ASSERT_EQ(http_.Put(Url("/products/" + product), json{{"name", "renamed"}}, As(a_owner_)).status, 200);
    // An event type the subscription does not ask for is not sent.
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("c")}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(receiver.WaitFor(2, 20s)) << server_->Output();
    std::this_thread::sleep_for(300ms);

    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2U);
    std::vector<std::string> types;
    for (const auto& request : requests) {
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.target, "/kiln");
        EXPECT_EQ(request.Header("Content-Type"), "application/json");
        EXPECT_TRUE(SignedWith(request, secret)) << request.Header("webhook-signature").value_or("(none)");
        const auto timestamp = std::stoll(request.Header("webhook-timestamp").value_or("0"));
        EXPECT_LE(std::abs(timestamp - std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count()),
                  60);
        const json payload = json::parse(request.body);
        EXPECT_EQ(payload["id"], request.Header("webhook-id"));
        EXPECT_EQ(payload["tenant_id"], a_tenant_id_);
        EXPECT_EQ(payload["data"]["product"]["id"], product);
        EXPECT_TRUE(payload["timestamp"].is_string());
        types.push_back(payload["type"]);
    }
    // Deliveries are not ordered (events are dispatched in parallel); payloads carry the sequence.
    std::sort(types.begin(), types.end());
    EXPECT_EQ(types, (std::vector<std::string>{"product.created", "product.updated"}));
    // A wrong secret does not verify: the check above can fail.
    EXPECT_FALSE(
        SignedWith(requests[0],
                   "whsec_" + Base64(reinterpret_cast<const unsigned char*>("0123456789abcdef0123456789abcdef"), 32)));

    const json deliveries = Deliveries(subscription["id"]);
    ASSERT_EQ(deliveries.size(), 2U) << deliveries;
    EXPECT_EQ(deliveries[0]["state"], "succeeded");
    const auto one = http_.Get(Url("/integrations/webhooks/" + subscription["id"].get<std::string>() + "/deliveries/" +
                                   deliveries[0]["id"].get<std::string>()),
                               As(a_owner_));
    ASSERT_EQ(one.status, 200) << one.body;
    const json detail = one.Json();
    ASSERT_EQ(detail["attempt_log"].size(), 1U);
    EXPECT_EQ(detail["attempt_log"][0]["status_code"], 200);
    EXPECT_EQ(detail["attempt_log"][0]["trigger"], "scheduled");
    Unsubscribe(subscription["id"]);
}

TEST_F(Webhooks, DuringRotationBothSecretsSign) {
    HttpReceiver receiver;
    const json subscription = Subscribe(receiver.Url("/rotating"), {"customer.created"});
    const std::string old_secret = subscription["secret"];
    const auto rotated = http_.Post(
        Url("/integrations/webhooks/" + subscription["id"].get<std::string>() + "/rotate-secret"), "", As(a_owner_));
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    const std::string new_secret = rotated.Json()["secret"];
    EXPECT_NE(new_secret, old_secret);
    EXPECT_FALSE(rotated.Json()["previous_secret_expires_at"].is_null());

    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("rot")}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(receiver.WaitFor(1, 20s)) << server_->Output();
    const auto request = receiver.requests()[0];
    EXPECT_EQ(Signatures(request).size(), 2U) << request.Header("webhook-signature").value_or("");
    EXPECT_TRUE(SignedWith(request, new_secret));
    EXPECT_TRUE(SignedWith(request, old_secret));
    Unsubscribe(subscription["id"]);
}

TEST_F(Webhooks, AFailingReceiverGetsEverythingOnceItRecovers) {
    // 500, then a redirect (not followed), then success.
    HttpReceiver receiver([](const ReceivedRequest&, size_t index) {
        if (index == 0) return Reply{.status = 500, .body = std::string("\xff\xfe broken", 9)};
        if (index == 1) return Reply{.status = 302, .headers = {{"Location", "http://10.0.0.1/"}}};
        return Reply{.status = 200};
    });
    const json subscription = Subscribe(receiver.Url("/flaky"), {"customer.created"});
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("flaky")}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(Eventually([&] {
        const auto d = Deliveries(subscription["id"]);
        return !d.empty() && d[0]["state"] == "succeeded";
    })) << Deliveries(subscription["id"]).dump()
        << server_->Output();
    const json delivery = Deliveries(subscription["id"])[0];
    EXPECT_EQ(delivery["attempts"], 3);
    const json detail = http_
                            .Get(Url("/integrations/webhooks/" + subscription["id"].get<std::string>() +
                                     "/deliveries/" + delivery["id"].get<std::string>()),
                                 As(a_owner_))
                            .Json();
    ASSERT_EQ(detail["attempt_log"].size(), 3U) << detail;
    EXPECT_EQ(detail["attempt_log"][0]["status_code"], 500);
    EXPECT_EQ(detail["attempt_log"][0]["error_class"], "http_5xx");
    EXPECT_EQ(detail["attempt_log"][1]["error_class"], "redirect");
    EXPECT_EQ(detail["attempt_log"][2]["succeeded"], true);
    // Every retry carries the same message id.
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 3U);
    EXPECT_EQ(requests[0].Header("webhook-id"), requests[2].Header("webhook-id"));
    Unsubscribe(subscription["id"]);
}

TEST_F(Webhooks, GoneDisablesAndRecoverReplaysWhatWasSkipped) {
    std::atomic<bool> gone{true};
    HttpReceiver receiver([&](const ReceivedRequest&, size_t) { return Reply{.status = gone ? 410 : 200}; });
    const json subscription = Subscribe(receiver.Url("/gone"), {"customer.*"});
    const std::string id = subscription["id"];
    const std::string since = http_.Get(Url("/integrations/webhooks/" + id), As(a_owner_)).Json()["created_at"];
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("gone")}}, As(a_owner_)).status, 201);
    json shown;
    ASSERT_TRUE(Eventually([&] {
        shown = http_.Get(Url("/integrations/webhooks/" + id), As(a_owner_)).Json();
        return !shown["is_active"].get<bool>();
    })) << shown;
    EXPECT_NE(shown["disabled_reason"].get<std::string>().find("410"), std::string::npos);
    const json events = http_.Get(Url("/events?type=webhook.subscription.disabled"), As(a_owner_)).Json()["data"];
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0]["data"]["subscription"]["id"], id);
    const json notices = http_.Get(Url("/notifications"), As(a_owner_)).Json()["data"];
    EXPECT_TRUE(std::any_of(notices.begin(), notices.end(), [&](const json& n) {
        return n["kind"] == "webhook" && n["data"]["subscription_id"] == id;
    })) << notices;

    // While disabled, events are kept as skipped deliveries.
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("kept")}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(Eventually([&] { return Deliveries(id, "?status=skipped").size() == 1; })) << Deliveries(id);
    EXPECT_EQ(http_.Post(Url("/integrations/webhooks/" + id + "/recover"), json{{"since", since}}, As(a_owner_)).status,
              409);

    gone = false;
    ASSERT_EQ(http_.Put(Url("/integrations/webhooks/" + id), json{{"is_active", true}}, As(a_owner_)).status, 200);
    const size_t before = receiver.count();
    const auto recovered =
        http_.Post(Url("/integrations/webhooks/" + id + "/recover"), json{{"since", since}}, As(a_owner_));
    ASSERT_EQ(recovered.status, 202) << recovered.body;
    // Both the 410'd delivery (dead) and the skipped one arrive.
    ASSERT_TRUE(receiver.WaitFor(before + 2, 20s)) << server_->Output();
    ASSERT_TRUE(Eventually([&] { return Deliveries(id, "?status=succeeded").size() == 2; })) << Deliveries(id);
    Unsubscribe(id);
}

TEST_F(Webhooks, TestSendAndManualRetryReturnTheAttempt) {
    std::atomic<int> status{200};
    HttpReceiver receiver([&](const ReceivedRequest&, size_t) { return Reply{.status = status.load()}; });
    const json subscription = Subscribe(receiver.Url("/manual"), {"customer.created"});
    const std::string id = subscription["id"];
    const auto test = http_.Post(Url("/integrations/webhooks/" + id + "/test"), "", As(a_owner_));
    ASSERT_EQ(test.status, 200) << test.body;
    EXPECT_TRUE(test.Json()["succeeded"].get<bool>());
    EXPECT_EQ(test.Json()["attempt"]["trigger"], "test");
    ASSERT_EQ(receiver.count(), 1U);
    EXPECT_EQ(json::parse(receiver.requests()[0].body)["type"], "webhook.test");
    EXPECT_TRUE(SignedWith(receiver.requests()[0], subscription["secret"]));

    status = 500;
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("retry")}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(Eventually([&] {
        const auto d = Deliveries(id, "?status=dead");
        return d.size() == 1;
    })) << Deliveries(id);
    const std::string delivery = Deliveries(id, "?status=dead")[0]["id"];
    status = 200;
    const auto retried =
        http_.Post(Url("/integrations/webhooks/" + id + "/deliveries/" + delivery + "/retry"), "", As(a_owner_));
    ASSERT_EQ(retried.status, 200) << retried.body;
    EXPECT_TRUE(retried.Json()["succeeded"].get<bool>());
    EXPECT_EQ(retried.Json()["delivery"]["state"], "succeeded");
    EXPECT_EQ(retried.Json()["attempt"]["trigger"], "manual");
    EXPECT_EQ(retried.Json()["delivery"]["attempts"], 4);  // three scheduled, one manual
    Unsubscribe(id);
}

TEST_F(Webhooks, ASubscriptionMayHaveItsOwnRetrySchedule) {
    HttpReceiver receiver([](const ReceivedRequest&, size_t) { return Reply{.status = 500}; });
    EXPECT_EQ(FieldErrors(http_.Post(Url("/integrations/webhooks"),
                                     json{{"target_url", receiver.Url("/")},
                                          {"events", {"customer.created"}},
                                          {"retry_schedule", json::array()}},
                                     As(a_owner_))),
              std::vector<std::string>{"retry_schedule"});
    const auto created = http_.Post(Url("/integrations/webhooks"),
                                    json{{"target_url", receiver.Url("/own-schedule")},
                                         {"events", {"customer.created"}},
                                         {"retry_schedule", {0, 1}}},
                                    As(a_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.Json()["id"];
    EXPECT_EQ(created.Json()["retry_schedule"], json({0, 1}));
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", Unique("own")}}, As(a_owner_)).status, 201);
    // Two attempts (its own schedule), not the platform's three.
    ASSERT_TRUE(Eventually([&] { return Deliveries(id, "?status=dead").size() == 1; })) << Deliveries(id);
    EXPECT_EQ(Deliveries(id)[0]["attempts"], 2);
    EXPECT_EQ(receiver.count(), 2U);
    Unsubscribe(id);
}

/// Several thousand events to one receiver while the server is killed with SIGKILL again and
/// again: every event arrives at least once.
class WebhooksCrash : public ::testing::Test {
  protected:
    // Subscription URLs are the tenant's: the loopback receivers need the tenant's allowance.
    KilnProcess server_{{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_JOB_LEASE_SECONDS", "2"},       {"KILN_WEBHOOK_TIMEOUT_SECONDS", "2"},
                        {"KILN_WEBHOOK_LEASE_SECONDS", "3"},   {"KILN_WEBHOOK_MAX_IN_FLIGHT", "2"}};
    HttpClient http_;
};

TEST_F(WebhooksCrash, EveryEventArrivesDespiteRepeatedKill9) {
    std::mutex mutex;
    std::multiset<std::string> received;
    std::atomic<bool> creating{true};
    HttpReceiver receiver([&](const ReceivedRequest& request, size_t) {
        const std::lock_guard lock(mutex);
        received.insert(request.Header("webhook-id").value_or(""));
        // Slow while the events are being created (2 in flight × 200 ms: 10 a second, slower than
        // creating them even in a loaded sanitizer build), then about 100 a second: most of the
        // stream is still to come when the kills start, however slow the creation was.
        return Reply{.status = 204, .delay = creating ? 200ms : 20ms};
    });
    server_.Start();
    const DemoOwner owner = SignInAsDemoOwner(server_, http_);
    const auto url = [&](const std::string& path) { return owner.Url(path); };
    const HeaderList& auth = owner.auth;
    ASSERT_EQ(http_
                  .Post(url("/integrations/webhooks"),
                        json{{"target_url", receiver.Url("/crash")}, {"events", {"customer.created"}}}, auth)
                  .status,
              201);
    constexpr int kEvents = 2000;
    for (int i = 0; i < kEvents; ++i)
        ASSERT_EQ(http_.Post(url("/customers"), json{{"name", "crash-" + std::to_string(i)}}, auth).status, 201);
    creating = false;

    const auto distinct = [&] {
        const std::lock_guard lock(mutex);
        return std::set<std::string>(received.begin(), received.end()).size();
    };
    int mid_stream_kills = 0;
    for (int kill = 0; kill < 3; ++kill) {
        std::this_thread::sleep_for(500ms);
        const auto arrived = distinct();
        mid_stream_kills += arrived > 0 && arrived < kEvents ? 1 : 0;
        EXPECT_EQ(server_.Stop(SIGKILL), 128 + SIGKILL);
        server_.Start();
    }
    EXPECT_GT(mid_stream_kills, 0) << "every kill came before the first or after the last delivery";
    ASSERT_TRUE(Eventually([&] { return distinct() == kEvents; }, 120s))
        << distinct() << " of " << kEvents << " events arrived\n"
        << server_.Output();
    const std::lock_guard lock(mutex);
    const auto duplicates = received.size() - kEvents;
    RecordProperty("duplicates", static_cast<int>(duplicates));
    std::cout << "[ webhooks ] " << kEvents << " events, 3 x kill -9, " << received.size() << " requests, "
              << duplicates << " duplicates\n";
}

/// A subscription whose deliveries all die for longer than the window is disabled.
class WebhooksAutoDisable : public ::testing::Test {
  protected:
    KilnProcess server_{{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,1"},
                        {"KILN_WEBHOOK_DISABLE_AFTER_SECONDS", "2"}};
    HttpClient http_;
};

TEST_F(WebhooksAutoDisable, ConsistentFailureDisablesAfterTheWindow) {
    HttpReceiver receiver([](const ReceivedRequest&, size_t) { return Reply{.status = 503}; });
    server_.Start();
    const DemoOwner owner = SignInAsDemoOwner(server_, http_);
    const auto url = [&](const std::string& path) { return owner.Url(path); };
    const HeaderList& auth = owner.auth;
    const auto created =
        http_.Post(url("/integrations/webhooks"),
                   json{{"target_url", receiver.Url("/down")}, {"events", {"customer.created"}}}, auth);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.Json()["id"];
    json shown;
    // New events keep coming; the first exhausted delivery starts the window, a later one ends it.
    ASSERT_TRUE(Eventually(
        [&] {
            http_.Post(url("/customers"), json{{"name", "down"}}, auth);
            shown = http_.Get(url("/integrations/webhooks/" + id), auth).Json();
            std::this_thread::sleep_for(250ms);
            return !shown["is_active"].get<bool>();
        },
        30s))
        << shown << server_.Output();
    EXPECT_FALSE(shown["failing_since"].is_null());
    EXPECT_NE(shown["disabled_reason"].get<std::string>().find("every delivery failed"), std::string::npos);
}

}  // namespace
}  // namespace kiln::testing
