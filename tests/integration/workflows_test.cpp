// Workflows through the real binary: rules are checked when saved, fire on events through the
// dispatcher and the job queue, run their actions in order (notifications, HTTP requests to a
// local receiver), log every run, retry failures, and fan out idempotently.
#include <thread>

#include "api_fixture.hpp"
#include "http_receiver.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Workflows : public ApiTest {
  protected:
    HttpResponse CreateRule(const json& rule) { return http_.Post(Url("/workflows"), rule, As(a_owner_)); }

    std::string CreateRuleOk(const json& rule) {
        const auto response = CreateRule(rule);
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json().value("id", "");
    }

    /// A product whose SKU is unique to this test run; returns its id.
    std::string CreateProduct(const std::string& sku, int64_t unit_price, const std::string& currency = "EUR") {
        const auto response = http_.Post(
            Url("/products"),
            json{{"sku", sku}, {"name", "Product " + sku}, {"unit_price", unit_price}, {"currency", currency}},
            As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json().value("id", "");
    }

    json Logs(const std::string& rule_id, const std::string& query = "") {
        const auto response = http_.Get(Url("/workflows/" + rule_id + "/logs" + query), As(a_owner_));
        EXPECT_EQ(response.status, 200) << response.body;
        json body = response.Json();
        return body.value("data", json::array());
    }

    /// Waits until no dispatch or workflow job is queued, running or waiting for a retry.
    bool QueueSettles() {
        return Eventually([&] {
            const json counts = http_.Get(Url("/jobs?limit=1"), As(a_owner_)).Json()["counts"];
            for (const auto& row : counts["by_kind"]) {
                const std::string kind = row["kind"];
                const std::string state = row["state"];
                if ((kind == "event.dispatch" || kind == "workflow.run") &&
                    (state == "queued" || state == "running" || state == "failed"))
                    return false;
            }
            return true;
        });
    }

    std::vector<json> Notifications(const std::string& token, const std::string& tenant = "") {
        const json body = http_.Get(Url("/notifications?limit=200"), As(token, tenant)).Json();
        return body.value("data", json::array()).get<std::vector<json>>();
    }

    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }
};

TEST_F(Workflows, SavingChecksTriggerConditionsAndActionsAndWritesNothingOnError) {
    const auto before = http_.Get(Url("/workflows?limit=200"), As(a_owner_)).Json()["data"].size();
    const json notify = {{"type", "create_notification"}, {"params", {{"title", "Hi"}}}};
    const auto check = [&](const json& rule, const std::vector<std::string>& fields) {
        const auto response = CreateRule(rule);
        EXPECT_EQ(response.status, 422) << response.body;
        EXPECT_EQ(FieldErrors(response), fields) << response.body;
    };
    check({{"name", "x"}, {"trigger_event", "invoice.exploded"}, {"actions", json::array({notify})}},
          {"trigger_event"});
    // A condition on a field the trigger's events do not carry.
    check({{"name", "x"},
           {"trigger_event", "product.created"},
           {"conditions", {{{"field", "prodct.unit_price"}, {"op", "gt"}, {"value", 1}}}},
           {"actions", json::array({notify})}},
          {"conditions[0].field"});
    // An unknown operator is a shape error, reported before the handler looks any further.
    check({{"name", "x"},
           {"trigger_event", "product.created"},
           {"conditions", {{{"field", "product.sku"}, {"op", "resembles"}, {"value", "a"}}}},
           {"actions", json::array({notify})}},
          {"conditions[0].op"});
    check({{"name", "x"},
           {"trigger_event", "product.created"},
           {"conditions",
            {{{"field", "product.currency"}, {"op", "in"}, {"value", "EUR"}},
             {{"field", "product.sku"}, {"op", "exists"}, {"value", 1}},
             {{"field", "product..sku"}, {"op", "equals"}, {"value", "a"}},
             {{"field", "product.sku"}, {"op", "gt"}, {"value", {{"an", "object"}}}}}},
           {"actions", json::array({notify})}},
          {"conditions[0].value", "conditions[1].value", "conditions[2].field", "conditions[3].value"});
    check({{"name", "x"}, {"trigger_event", "product.created"}, {"actions", json::array()}}, {"actions"});
    check({{"name", "x"},
           {"trigger_event", "product.created"},
           {"actions",
            {{{"type", "send_pigeon"}},
             {{"type", "create_notification"}, {"params", {{"title", "Hi"}, {"roles", {"wizard"}}}}},
             {{"type", "create_notification"}, {"params", {{"body", "no title"}}}},
             {{"type", "http_request"}, {"params", {{"url", "http://10.0.0.1/hook"}}}},
             {{"type", "http_request"}, {"params", {{"url", "https://169.254.169.254/latest/meta-data"}}}},
             {{"type", "http_request"}, {"params", {{"url", "http://[::ffff:10.0.0.1]/"}}}},
             {{"type", "http_request"},
              {"params", {{"url", "http://127.0.0.1:9/"}, {"headers", {{"Host", "evil"}, {"X-Ok", "fine"}}}}}}}}},
          {"actions[0].type", "actions[1].params.roles[0]", "actions[2].params.title", "actions[3].params.url",
           "actions[4].params.url", "actions[5].params.url", "actions[6].params.headers.Host"});
    EXPECT_EQ(http_.Get(Url("/workflows?limit=200"), As(a_owner_)).Json()["data"].size(), before);
}

TEST_F(Workflows, MatchingRulesNotifyAndNonMatchingOnesDoNotRun) {
    const json notify_big = {
        {"type", "create_notification"},
        {"params",
         {{"title", "New big product {{data.product.sku}}"},
          {"body", "Price {{data.product.unit_price}} {{data.product.currency}} ({{event.type}})"}}}};
    const std::string big = CreateRuleOk({{"name", "Big product"},
                                          {"trigger_event", "product.created"},
                                          {"conditions",
                                           {{{"field", "product.unit_price"}, {"op", "gte"}, {"value", 100000}},
                                            {{"field", "product.currency"}, {"op", "in"}, {"value", {"EUR", "USD"}}}}},
                                          {"actions", json::array({notify_big})}});
    const json notify_usd = {{"type", "create_notification"}, {"params", {{"title", "USD"}}}};
    const std::string usd_only =
        CreateRuleOk({{"name", "USD product"},
                      {"trigger_event", "product.created"},
                      {"conditions", {{{"field", "product.currency"}, {"op", "equals"}, {"value", "USD"}}}},
                      {"actions", json::array({notify_usd})}});

    const std::string sku = Unique("big");
    CreateProduct(sku, 250000);
    json log;
    ASSERT_TRUE(Eventually([&] {
        const auto logs = Logs(big);
        if (logs.empty()) return false;
        log = logs[0];
        return true;
    })) << server_->Output();
    EXPECT_EQ(log["status"], "succeeded") << log;
    EXPECT_EQ(log["event_type"], "product.created");
    EXPECT_EQ(log["results"][0]["type"], "create_notification");
    EXPECT_EQ(log["results"][0]["result"]["notified"], 1) << log;  // the tenant's only owner/admin

    const auto notices = Notifications(a_owner_);
    const auto it = std::find_if(notices.begin(), notices.end(),
                                 [&](const json& n) { return n["title"] == "New big product " + sku; });
    ASSERT_NE(it, notices.end());
    EXPECT_EQ((*it)["body"], "Price 250000 EUR (product.created)");
    EXPECT_EQ((*it)["kind"], "workflow");
    EXPECT_EQ((*it)["data"]["rule_id"], big);
    EXPECT_FALSE((*it)["read"].get<bool>());

    ASSERT_TRUE(QueueSettles());
    EXPECT_TRUE(Logs(usd_only).empty());
    // Tenant B has no rules and sees none of A's notifications.
    for (const auto& n : Notifications(b_owner_)) EXPECT_NE(n["title"], "New big product " + sku);
    for (const auto& id : {big, usd_only}) EXPECT_EQ(http_.Delete(Url("/workflows/" + id), As(a_owner_)).status, 204);
}

TEST_F(Workflows, DispatchingAnEventAgainRunsEachRuleOnce) {
    const json action = {{"type", "create_notification"}, {"params", {{"title", "fan-out {{data.product.sku}}"}}}};
    std::vector<std::string> rules;
    for (int i = 0; i < 3; ++i)
        rules.push_back(CreateRuleOk({{"name", "fan-out " + std::to_string(i)},
                                      {"trigger_event", "product.created"},
                                      {"conditions", {{{"field", "product.sku"}, {"op", "exists"}}}},
                                      {"actions", json::array({action})}}));
    const std::string sku = Unique("fan");
    const std::string product = CreateProduct(sku, 100);
    ASSERT_TRUE(Eventually([&] {
        return std::all_of(rules.begin(), rules.end(), [&](const std::string& r) { return Logs(r).size() == 1; });
    })) << server_->Output();

    // The event's id, then its dispatch once more (as after a crash before the dispatch committed).
    json events = http_.Get(Url("/events?type=product.created&limit=50"), As(a_owner_)).Json()["data"];
    const auto event = std::find_if(events.begin(), events.end(),
                                    [&](const json& e) { return e["data"]["product"]["id"] == product; });
    ASSERT_NE(event, events.end());
    for (int i = 0; i < 2; ++i) {
        std::string out;
        ASSERT_EQ(server_->Cli({"admin", "enqueue-job", "--tenant", "demo", "--kind", "event.dispatch", "--payload",
                                json{{"event_id", (*event)["id"]}}.dump()},
                               &out),
                  0)
            << out;
    }
    ASSERT_TRUE(QueueSettles());
    for (const auto& r : rules) {
        EXPECT_EQ(Logs(r).size(), 1U) << r;
        EXPECT_EQ(http_.Delete(Url("/workflows/" + r), As(a_owner_)).status, 204);
    }
    const auto notices = Notifications(a_owner_);
    EXPECT_EQ(
        std::count_if(notices.begin(), notices.end(), [&](const json& n) { return n["title"] == "fan-out " + sku; }),
        3);
}

TEST_F(Workflows, HttpActionSendsTheEventAndIsRetriedUntilItSucceeds) {
    HttpReceiver receiver([](const ReceivedRequest&, size_t index) {
        return index == 0 ? Reply{.status = 503, .body = "busy"} : Reply{.status = 204};
    });
    const std::string rule = CreateRuleOk(
        {{"name", "Tell the warehouse"},
         {"trigger_event", "product.created"},
         {"actions",
          {{{"type", "http_request"},
            {"params",
             {{"url", receiver.Url("/products/{{data.product.sku}}")},
              {"method", "PUT"},
              {"headers", {{"X-Sku", "{{data.product.sku}}"}, {"Authorization", "Bearer warehouse-secret"}}}}}}}}});
    const std::string sku = Unique("wh");
    const std::string product = CreateProduct(sku, 700);
    ASSERT_TRUE(receiver.WaitFor(2, 20s)) << server_->Output();
    ASSERT_TRUE(QueueSettles());

    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2U);
    for (const auto& request : requests) {
        EXPECT_EQ(request.method, "PUT");
        EXPECT_EQ(request.target, "/products/" + sku);
        EXPECT_EQ(request.Header("X-Sku"), sku);
        EXPECT_EQ(request.Header("Content-Type"), "application/json");
        const json sent = json::parse(request.body);
        EXPECT_EQ(sent["type"], "product.created");
        EXPECT_EQ(sent["data"]["product"]["id"], product);
    }
    // Both attempts carry the same key, so the receiver can tell a retry from a new call.
    EXPECT_TRUE(requests[0].Header("Idempotency-Key").has_value());
    EXPECT_EQ(requests[0].Header("Idempotency-Key"), requests[1].Header("Idempotency-Key"));

    const json logs = Logs(rule);
    ASSERT_EQ(logs.size(), 2U) << logs;
    EXPECT_EQ(logs[0]["status"], "succeeded");  // newest first
    EXPECT_EQ(logs[0]["attempt"], 2);
    EXPECT_EQ(logs[0]["results"][0]["result"]["status"], 204);
    EXPECT_EQ(logs[1]["status"], "failed");
    EXPECT_NE(logs[1]["error"].get<std::string>().find("HTTP 503"), std::string::npos) << logs[1];
    EXPECT_EQ(Logs(rule, "?status=failed").size(), 1U);
    // Secrets in the rule's headers stay out of the logs.
    EXPECT_EQ(logs.dump().find("warehouse-secret"), std::string::npos);
    EXPECT_EQ(http_.Delete(Url("/workflows/" + rule), As(a_owner_)).status, 204);
}

TEST_F(Workflows, DisabledRulesDoNotRunAndUpdatesAreChecked) {
    const std::string rule = CreateRuleOk(
        {{"name", "Pausable"},
         {"trigger_event", "customer.created"},
         {"actions", {{{"type", "create_notification"}, {"params", {{"title", "customer {{data.customer.name}}"}}}}}}});
    const auto disabled = http_.Post(Url("/workflows/" + rule + "/disable"), "", As(a_owner_));
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_FALSE(disabled.Json()["is_enabled"].get<bool>());
    const std::string name = Unique("quiet");
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", name}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(QueueSettles());
    EXPECT_TRUE(Logs(rule).empty());

    // Moving the trigger re-checks the kept conditions against the new events.
    const auto conditioned =
        http_.Put(Url("/workflows/" + rule), json{{"conditions", {{{"field", "customer.email"}, {"op", "exists"}}}}},
                  As(a_owner_));
    ASSERT_EQ(conditioned.status, 200) << conditioned.body;
    const auto moved = http_.Put(Url("/workflows/" + rule), json{{"trigger_event", "invoice.issued"}}, As(a_owner_));
    EXPECT_EQ(FieldErrors(moved), std::vector<std::string>{"conditions[0].field"}) << moved.body;

    ASSERT_EQ(http_.Post(Url("/workflows/" + rule + "/enable"), "", As(a_owner_)).status, 200);
    const std::string loud = Unique("loud");
    ASSERT_EQ(
        http_.Post(Url("/customers"), json{{"name", loud}, {"email", loud + "@example.test"}}, As(a_owner_)).status,
        201);
    ASSERT_TRUE(Eventually([&] { return Logs(rule).size() == 1; })) << server_->Output();
    EXPECT_EQ(http_.Delete(Url("/workflows/" + rule), As(a_owner_)).status, 204);
}

TEST_F(Workflows, DryRunShowsConditionsAndRenderedActionsWithoutRunningThem) {
    const std::string rule = CreateRuleOk(
        {{"name", "Dry"},
         {"trigger_event", "product.created"},
         {"conditions",
          {{{"field", "product.unit_price"}, {"op", "gt"}, {"value", 1000}},
           {{"field", "product.stock_quantity"}, {"op", "lt"}, {"value", 5}}}},
         {"actions", {{{"type", "create_notification"}, {"params", {{"title", "Low stock {{data.product.sku}}"}}}}}}});
    const auto dry = [&](const json& body) {
        return http_.Post(Url("/workflows/" + rule + "/dry-run"), body, As(a_owner_));
    };

    const auto hit = dry({{"data", {{"product", {{"sku", "S-1"}, {"unit_price", 5000}, {"stock_quantity", 2}}}}}});
    ASSERT_EQ(hit.status, 200) << hit.body;
    json body = hit.Json();
    EXPECT_TRUE(body["matched"].get<bool>());
    EXPECT_EQ(body["actions"][0]["params"]["title"], "Low stock S-1");
    EXPECT_EQ(body["conditions"][0]["actual"], 5000);

    const auto miss = dry({{"data", {{"product", {{"sku", "S-2"}, {"unit_price", 5000}}}}}});
    body = miss.Json();
    EXPECT_FALSE(body["matched"].get<bool>());
    EXPECT_TRUE(body["conditions"][1]["field_missing"].get<bool>());
    EXPECT_TRUE(body["actions"].empty());

    // A stored event of the right type replays; one of another type or none at all is a 422.
    const std::string sku = Unique("dry");
    CreateProduct(sku, 99);
    json events = http_.Get(Url("/events?type=product.created&limit=1"), As(a_owner_)).Json()["data"];
    ASSERT_EQ(events.size(), 1U);
    const auto replay = dry({{"event_id", events[0]["id"]}});
    ASSERT_EQ(replay.status, 200) << replay.body;
    EXPECT_FALSE(replay.Json()["matched"].get<bool>());  // 99 is not above 1000
    EXPECT_EQ(replay.Json()["event"]["data"]["product"]["sku"], sku);
    EXPECT_EQ(dry(json::object()).status, 422);
    EXPECT_EQ(FieldErrors(dry({{"event_id", "00000000-0000-7000-8000-000000000001"}})),
              std::vector<std::string>{"event_id"});
    ASSERT_TRUE(QueueSettles());
    EXPECT_TRUE(Logs(rule).empty());  // a dry run runs nothing
    EXPECT_EQ(http_.Delete(Url("/workflows/" + rule), As(a_owner_)).status, 204);
}

TEST_F(Workflows, ActionTypesAreListedWithTheirSchemas) {
    const auto response = http_.Get(Url("/workflows/actions"), As(a_owner_));
    ASSERT_EQ(response.status, 200) << response.body;
    const json body = response.Json();
    std::vector<std::string> names;
    for (const auto& t : body["data"]) names.push_back(t["name"]);
    EXPECT_NE(std::find(names.begin(), names.end(), "create_notification"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "http_request"), names.end());
    EXPECT_EQ(body["data"][0]["params_schema"]["type"], "object");
}

TEST_F(Workflows, NotificationsAreReadOnlyByTheirOwner) {
    const std::string email = Unique("accountant") + "@demo.test";
    AddMember(a_owner_, "", email, "accountant");
    const std::string accountant = Login(email, "member-password-1");
    const std::string rule =
        CreateRuleOk({{"name", "Tell accountants"},
                      {"trigger_event", "customer.created"},
                      {"actions",
                       {{{"type", "create_notification"},
                         {"params", {{"title", "Customer {{data.customer.name}}"}, {"roles", {"accountant"}}}}}}}});
    const std::string name = Unique("billable");
    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", name}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(Eventually([&] { return !Notifications(accountant).empty(); })) << server_->Output();

    const auto mine = Notifications(accountant);
    ASSERT_EQ(mine.size(), 1U);
    EXPECT_EQ(mine[0]["title"], "Customer " + name);
    EXPECT_EQ(http_.Get(Url("/notifications/unread-count"), As(accountant)).Json()["unread"], 1);
    const std::string id = mine[0]["id"];
    // Nobody else can mark it, not even the owner.
    EXPECT_EQ(http_.Post(Url("/notifications/" + id + "/read"), "", As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Post(Url("/notifications/" + id + "/read"), "", As(b_owner_)).status, 404);
    const auto read = http_.Post(Url("/notifications/" + id + "/read"), "", As(accountant));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_TRUE(read.Json()["read"].get<bool>());
    EXPECT_EQ(http_.Get(Url("/notifications/unread-count"), As(accountant)).Json()["unread"], 0);
    EXPECT_TRUE(http_.Get(Url("/notifications?unread=true"), As(accountant)).Json()["data"].empty());
    EXPECT_EQ(http_.Get(Url("/notifications?unread=maybe"), As(accountant)).status, 422);

    ASSERT_EQ(http_.Post(Url("/customers"), json{{"name", name + "-2"}}, As(a_owner_)).status, 201);
    ASSERT_TRUE(Eventually([&] { return Notifications(accountant).size() == 2; }));
    const auto all = http_.Post(Url("/notifications/read-all"), "", As(accountant));
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(all.Json()["marked"], 1);
    EXPECT_EQ(http_.Delete(Url("/workflows/" + rule), As(a_owner_)).status, 204);
}

/// A workflow run whose process is killed mid-action runs again after a restart.
class WorkflowsProcess : public ::testing::Test {
  protected:
    KilnProcess server_{{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_JOB_LEASE_SECONDS", "2"},
                        {"KILN_JOB_BACKOFF_BASE_MS", "100"},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"}};
    HttpClient http_;
};

TEST_F(WorkflowsProcess, RunInterruptedByKill9CompletesAfterRestart) {
    // The first request is held until the process is gone; later ones succeed.
    HttpReceiver receiver([](const ReceivedRequest&, size_t index) {
        return index == 0 ? Reply{.status = 200, .delay = 30s} : Reply{.status = 200};
    });
    server_.Start();
    const DemoOwner owner = SignInAsDemoOwner(server_, http_);
    const auto url = [&](const std::string& path) { return owner.Url(path); };
    const HeaderList& auth = owner.auth;
    const auto rule =
        http_.Post(url("/workflows"),
                   json{{"name", "Slow receiver"},
                        {"trigger_event", "product.created"},
                        {"actions", {{{"type", "http_request"}, {"params", {{"url", receiver.Url("/in")}}}}}}},
                   auth);
    ASSERT_EQ(rule.status, 201) << rule.body;
    const std::string rule_id = rule.Json()["id"];
    ASSERT_EQ(
        http_.Post(url("/products"), json{{"sku", "K9"}, {"name", "K9"}, {"unit_price", 1}, {"currency", "EUR"}}, auth)
            .status,
        201);
    ASSERT_TRUE(receiver.WaitFor(1, 20s)) << server_.Output();
    EXPECT_EQ(server_.Stop(SIGKILL), 128 + SIGKILL);

    server_.Start();  // the run's lease expires and a worker takes it again
    ASSERT_TRUE(receiver.WaitFor(2, 30s)) << server_.Output();
    json logs;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        logs = http_.Get(url("/workflows/" + rule_id + "/logs"), auth).Json()["data"];  // sessions survive restarts
        if (!logs.empty()) break;
        std::this_thread::sleep_for(100ms);
    }
    // The killed attempt wrote nothing; the second one is the run on record.
    ASSERT_EQ(logs.size(), 1U) << logs;
    EXPECT_EQ(logs[0]["status"], "succeeded");
    EXPECT_EQ(logs[0]["attempt"], 2);
    const auto requests = receiver.requests();
    EXPECT_EQ(requests[0].Header("Idempotency-Key"), requests[1].Header("Idempotency-Key"));
}

}  // namespace
}  // namespace kiln::testing
