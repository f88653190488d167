// Attacks on workflow rules through the real binary (issue 12): an http_request action's header
// values are credentials that only the target may see (item 6), and event data quoted into a URL
// template cannot steer the request (item 12).
#include <algorithm>

#include "api_fixture.hpp"
#include "http_receiver.hpp"
#include "stored_rows.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kMasked = "********";

class WorkflowSecurity : public ApiTest {
  protected:
    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + std::to_string(::getpid()) + "x" + std::to_string(++counter);
    }

    /// A token of the demo owner narrowed to `permissions`.
    std::string NarrowToken(const std::vector<std::string>& permissions) {
        const auto created =
            http_.Post(Url("/tokens"), json{{"name", Unique("narrow-")}, {"permissions", permissions}}, As(a_owner_));
        EXPECT_EQ(created.status, 201) << created.body;
        return created.Json().value("token", "");
    }

    std::string CreateProduct(const std::string& name) {
        const auto response = http_.Post(
            Url("/products"), json{{"sku", Unique("SKU-")}, {"name", name}, {"unit_price", 100}, {"currency", "EUR"}},
            As(a_owner_));
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json().value("id", "");
    }

    /// The first of `secrets` that `text` contains, or "".
    static std::string Betrayed(const std::string& text, const std::vector<std::string>& secrets) {
        for (const auto& secret : secrets)
            if (text.find(secret) != std::string::npos) return secret;
        return "";
    }
};

// Item 6. A member who may only read workflows or events, a `*` webhook subscriber, the audit
// trail and a database reader never see an http_request header value; the target gets it, also
// after an update that sent the masked value back.
TEST_F(WorkflowSecurity, HeaderValuesReachOnlyTheTarget) {
    const std::string api_key = Unique("sk_live_headerkey");
    const std::string custom = Unique("custom-credential-");  // under a name the rule does not flag
    const std::vector<std::string> secrets = {api_key, custom};
    HttpReceiver target;
    HttpReceiver subscriber;
    ASSERT_EQ(http_
                  .Post(Url("/integrations/webhooks"), json{{"target_url", subscriber.Url("/all")}, {"events", {"*"}}},
                        As(a_owner_))
                  .status,
              201);

    const auto created = http_.Post(
        Url("/workflows"),
        json{{"name", "Forward products"},
             {"trigger_event", "product.created"},
             {"actions",
              {{{"type", "http_request"},
                {"params",
                 {{"url", target.Url("/in")}, {"headers", {{"X-API-Key", api_key}, {"X-Partner", custom}}}}}}}}},
        As(a_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(Betrayed(created.body, secrets), "") << created.body;
    const json shown_headers = created.Json()["actions"][0]["params"]["headers"];
    EXPECT_EQ(shown_headers["X-API-Key"], kMasked);
    EXPECT_EQ(shown_headers["X-Partner"], kMasked);
    const std::string rule_id = created.Json()["id"];

    // The rule runs with the real values.
    CreateProduct("Secret carrier");
    ASSERT_TRUE(target.WaitFor(1, 20s)) << server_->Output();
    EXPECT_EQ(target.requests()[0].Header("X-API-Key"), api_key);
    EXPECT_EQ(target.requests()[0].Header("X-Partner"), custom);

    const std::string viewer = NarrowToken({"workflows:read"});
    const std::string events_reader = NarrowToken({"events:read"});
    struct Seen {
        std::string what, body;
        bool shows_the_rule = true;  // and so the masked form
    };
    std::vector<Seen> seen;
    seen.push_back({"GET /workflows", http_.Get(Url("/workflows?limit=200"), As(viewer)).body});
    seen.push_back({"GET /workflows/{id}", http_.Get(Url("/workflows/" + rule_id), As(viewer)).body});
    seen.push_back(
        {"dry run",
         http_.Post(Url("/workflows/" + rule_id + "/dry-run"), json{{"data", {{"product", {{"id", "p"}}}}}}, As(viewer))
             .body});
    ASSERT_TRUE(Eventually([&] {
        const json logs = http_.Get(Url("/workflows/" + rule_id + "/logs"), As(viewer)).Json();
        return !logs.value("data", json::array()).empty();
    }));
    seen.push_back({"logs", http_.Get(Url("/workflows/" + rule_id + "/logs"), As(viewer)).body, false});
    seen.push_back({"GET /events", http_.Get(Url("/events?limit=200"), As(events_reader)).body});
    seen.push_back({"GET /audit-logs", http_.Get(Url("/audit-logs?limit=200"), As(a_owner_)).body});
    for (const auto& [what, body, shows_the_rule] : seen) {
        if (shows_the_rule) {
            EXPECT_NE(body.find(kMasked), std::string::npos) << what << " does not show the masked form: " << body;
        }
        EXPECT_EQ(Betrayed(body, secrets), "") << what << ": " << body;
    }
    EXPECT_EQ(http_.Get(Url("/workflows/" + rule_id), As(events_reader)).status, 403);

    // The `*` subscriber got workflow.created, without the values.
    ASSERT_TRUE(Eventually([&] {
        const auto requests = subscriber.requests();
        return std::any_of(requests.begin(), requests.end(), [](const ReceivedRequest& r) {
            return r.body.find("workflow.created") != std::string::npos;
        });
    }));
    for (const auto& request : subscriber.requests()) EXPECT_EQ(Betrayed(request.body, secrets), "") << request.body;

    // A database reader finds them only sealed.
    for (const char* table : {"workflow_rules", "workflow_logs", "events", "audit_logs", "webhook_deliveries"})
        EXPECT_EQ(Betrayed(StoredTableText(*server_, table), secrets), "") << "in " << table;
    EXPECT_NE(StoredTableText(*server_, "workflow_rules").find("kv1:"), std::string::npos);

    // Sending the rule back as shown keeps the stored values; a masked value with nothing stored
    // under its name is refused.
    json actions = http_.Get(Url("/workflows/" + rule_id), As(a_owner_)).Json()["actions"];
    const auto renamed =
        http_.Put(Url("/workflows/" + rule_id), json{{"name", "Renamed"}, {"actions", actions}}, As(a_owner_));
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(Betrayed(renamed.body, secrets), "");
    CreateProduct("Second carrier");
    ASSERT_TRUE(target.WaitFor(2, 20s));
    EXPECT_EQ(target.requests()[1].Header("X-API-Key"), api_key);
    EXPECT_EQ(target.requests()[1].Header("X-Partner"), custom);
    actions[0]["params"]["headers"]["X-Unknown"] = kMasked;
    const auto unknown = http_.Put(Url("/workflows/" + rule_id), json{{"actions", actions}}, As(a_owner_));
    EXPECT_EQ(FieldErrors(unknown), std::vector<std::string>{"actions[0].params.headers.X-Unknown"}) << unknown.body;
    // A viewer cannot change the rule to send the secret elsewhere.
    EXPECT_EQ(http_.Put(Url("/workflows/" + rule_id), json{{"name", "x"}}, As(viewer)).status, 403);
}

// Item 6: a changed secret is saved (and audited as a change) though its masked form is the same.
TEST_F(WorkflowSecurity, ChangingOnlyASecretIsSavedAndAudited) {
    HttpReceiver target;
    const auto created = http_.Post(
        Url("/workflows"),
        json{{"name", "Rotate me"},
             {"trigger_event", "product.created"},
             {"actions",
              {{{"type", "http_request"},
                {"params", {{"url", target.Url("/in")}, {"headers", {{"Authorization", "Bearer old-value-1"}}}}}}}}},
        As(a_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string rule_id = created.Json()["id"];
    json actions = created.Json()["actions"];
    actions[0]["params"]["headers"]["Authorization"] = "Bearer new-value-2";
    ASSERT_EQ(http_.Put(Url("/workflows/" + rule_id), json{{"actions", actions}}, As(a_owner_)).status, 200);
    const json audit =
        http_.Get(Url("/audit-logs?entity_type=workflow&entity_id=" + rule_id), As(a_owner_)).Json()["data"];
    ASSERT_GE(audit.size(), 2U);
    EXPECT_EQ(audit[0]["action"], "workflows.update");
    EXPECT_TRUE(audit[0]["changes"].contains("actions")) << audit[0].dump();
    EXPECT_EQ(audit.dump().find("new-value-2"), std::string::npos);
    CreateProduct("Rotated");
    ASSERT_TRUE(target.WaitFor(1, 20s));
    EXPECT_EQ(target.requests()[0].Header("Authorization"), "Bearer new-value-2");
}

// Item 12. Event values quoted into a URL are percent-encoded, so they stay inside their path
// segment or query value; placeholders where the scheme, host or port go are refused.
TEST_F(WorkflowSecurity, UrlTemplatesEncodeEventValuesAndRefuseHostPlaceholders) {
    HttpReceiver target;
    const auto rule = [&](const std::string& url) {
        return http_.Post(Url("/workflows"),
                          json{{"name", "URL"},
                               {"trigger_event", "product.created"},
                               {"actions", {{{"type", "http_request"}, {"params", {{"url", url}}}}}}},
                          As(a_owner_));
    };
    const std::string port = target.Url("").substr(target.Url("").rfind(':') + 1);
    const std::vector<std::string> refused_urls = {
        "https://{{data.product.name}}/x", "http://127.0.0.1:{{data.product.unit_price}}/x",
        "http://{{data.product.name}}@127.0.0.1:" + port + "/x", "http://127.0.0.1:" + port + "{{data.product.name}}",
        "{{data.url}}"};
    for (const std::string& url : refused_urls) {
        const auto refused = rule(url);
        EXPECT_EQ(FieldErrors(refused), std::vector<std::string>{"actions[0].params.url"})
            << url << ": " << refused.body;
    }

    const std::string marker = Unique("enc");
    const auto created = rule(target.Url("/items/{{data.product.name}}?q={{data.product.name}}&m=" + marker));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string name = "../admin?x=1#frag@evil.test/more";
    CreateProduct(name);
    ASSERT_TRUE(target.WaitFor(1, 20s)) << server_->Output();
    const std::string encoded = "..%2Fadmin%3Fx%3D1%23frag%40evil.test%2Fmore";
    EXPECT_EQ(target.requests()[0].target, "/items/" + encoded + "?q=" + encoded + "&m=" + marker);

    // A value that is a whole dot segment cannot climb either.
    http_.Delete(Url("/workflows/" + created.Json()["id"].get<std::string>()), As(a_owner_));
    const auto dots = rule(target.Url("/a/{{data.product.name}}/b"));
    ASSERT_EQ(dots.status, 201) << dots.body;
    CreateProduct("..");
    ASSERT_TRUE(target.WaitFor(2, 20s));
    EXPECT_EQ(target.requests()[1].target, "/a/%2E%2E/b");
}

}  // namespace
}  // namespace kiln::testing
