// Tests that walk the route table (`kiln routes`), so every route added later is covered
// without touching this file: tenant isolation and permission enforcement.
#include <regex>
#include <thread>

#include "api_fixture.hpp"
#include "fake_providers/fake_docusign.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

struct RouteInfo {
    std::string method, path, access, permission, entity_type;
    json body_schema;  // from the OpenAPI document; null when the route takes no body
};

/// The smallest body the schema accepts, so requests get past validation to the real work.
json SampleOf(const json& schema) {
    const std::string type =
        schema["type"].is_array() ? schema["type"][0].get<std::string>() : schema.value("type", std::string("object"));
    if (type == "object") {
        json out = json::object();
        for (const auto& name : schema.value("required", json::array()))
            out[name.get<std::string>()] = SampleOf(schema["properties"][name.get<std::string>()]);
        return out;
    }
    if (type == "integer") return schema.value("minimum", 1);
    if (type == "boolean") return true;
    if (type == "array") return json::array();
    if (schema.contains("enum")) return schema["enum"][0];
    const std::string format = schema.value("format", "");
    if (format == "email") return "walker@example.test";
    if (format == "uuid") return "00000000-0000-7000-8000-000000000000";
    if (format == "date-time") return "2999-01-01T00:00:00Z";
    if (schema.contains("pattern")) return "walk-slug";
    return std::string(std::max<size_t>(schema.value("minLength", 1), 1), 'w');
}

std::vector<RouteInfo> AllRoutes(KilnProcess& server) {
    std::string out;
    EXPECT_EQ(server.Cli({"routes"}, &out), 0) << out;
    const json doc = HttpClient().Get(server.base_url() + "/api/openapi.json").Json();
    std::vector<RouteInfo> routes;
    for (const auto& r : json::parse(out.substr(out.find('[')))) {
        std::string method = r["method"];
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
        const json& op = doc["paths"][r["path"].get<std::string>()][method];
        // Provider webhook routes take raw bytes (*/*), not a JSON schema.
        json schema = op.contains("requestBody") && op["requestBody"]["content"].contains("application/json")
                          ? op["requestBody"]["content"]["application/json"]["schema"]
                          : json();
        routes.push_back({r["method"], r["path"], r["access"], r["permission"], r["entity_type"], schema});
    }
    return routes;
}

std::string BodyFor(const RouteInfo& route) {
    return route.body_schema.is_null() ? "" : SampleOf(route.body_schema).dump();
}

/// Fills every {param} of a path with the id of tenant A's object of the route's entity type.
std::string Fill(const std::string& path, const std::map<std::string, std::string>& ids, const std::string& entity) {
    static const std::regex kParam(R"(\{[a-z_]+\})");
    if (path.find('{') == std::string::npos) return path;
    const auto it = ids.find(entity);
    if (it == ids.end()) {
        ADD_FAILURE() << "no tenant-A object of type '" << entity << "' for " << path
                      << ": add one to the isolation fixture so the route is walked";
        return path;
    }
    return std::regex_replace(path, kParam, it->second);
}

class RouteWalk : public ApiTest {
  protected:
    // Answers tenant A's signature request; its public key is never used (static token).
    FakeDocuSign docusign_{"walk-key", "walk-user", "walk-account", FakeDocuSign::GenerateRsaKeyPair().second};

    /// One object of every kind in tenant A, to aim tenant B's requests at.
    std::map<std::string, std::string> TenantAObjects() {
        static int generation = 0;
        const std::string suffix = std::to_string(++generation);
        std::map<std::string, std::string> ids;
        const auto role = http_.Post(
            Url("/roles"), json{{"name", "a-secret-role-" + suffix}, {"permissions", json::array({"members:read"})}},
            As(a_owner_));
        EXPECT_EQ(role.status, 201) << role.body;
        ids["role"] = role.Json()["id"];
        ids["api_token"] =
            http_.Post(Url("/tokens"), json{{"name", "a-secret-token-" + suffix}}, As(a_owner_)).Json()["id"];
        ids["member"] = http_.Get(Url("/auth/me"), As(a_owner_)).Json()["user"]["id"];
        ids["tenant"] = a_tenant_id_;  // the platform admin routes of one tenant
        const auto invitation =
            http_.Post(Url("/invitations"),
                       json{{"email", "a-secret-invitee-" + suffix + "@demo.test"}, {"role", "viewer"}}, As(a_owner_));
        EXPECT_EQ(invitation.status, 201) << invitation.body;
        ids["invitation"] = invitation.Json()["id"];
        ids["product"] = http_
                             .Post(Url("/products"),
                                   json{{"sku", "a-secret-sku-" + suffix},
                                        {"name", "a-secret-product-" + suffix},
                                        {"unit_price", 100},
                                        {"currency", "EUR"}},
                                   As(a_owner_))
                             .Json()["id"];
        // A rule that notifies A's owner of new customers: the workflow and, once the customer
        // below exists, a notification.
        const auto rule = http_.Post(
            Url("/workflows"),
            json{{"name", "a-secret-rule-" + suffix},
                 {"trigger_event", "customer.created"},
                 {"actions", json::array({{{"type", "create_notification"},
                                           {"params", {{"title", "a-secret-notice {{data.customer.name}}"}}}}})}},
            As(a_owner_));
        EXPECT_EQ(rule.status, 201) << rule.body;
        ids["workflow"] = rule.Json()["id"];
        ids["customer"] =
            http_.Post(Url("/customers"), json{{"name", "a-secret-customer-" + suffix}}, As(a_owner_)).Json()["id"];
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!ids.contains("notification") && std::chrono::steady_clock::now() < deadline) {
            const json notices = http_.Get(Url("/notifications"), As(a_owner_)).Json()["data"];
            for (const auto& n : notices)
                if (n["title"] == "a-secret-notice a-secret-customer-" + suffix) ids["notification"] = n["id"];
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_TRUE(ids.contains("notification")) << server_->Output();
        const auto order = http_.Post(Url("/sales-orders"),
                                      json{{"customer_id", ids["customer"]},
                                           {"currency", "EUR"},
                                           {"notes", "a-secret-order-" + suffix},
                                           {"lines", json::array({{{"product_id", ids["product"]}, {"quantity", 1}}})}},
                                      As(a_owner_));
        EXPECT_EQ(order.status, 201) << order.body;
        ids["sales_order"] = order.Json()["id"];
        const auto invoice = http_.Post(
            Url("/invoices"),
            json{{"customer_id", ids["customer"]},
                 {"currency", "EUR"},
                 {"notes", "a-secret-invoice-" + suffix},
                 {"lines",
                  json::array({{{"description", "a-secret-line-" + suffix}, {"quantity", 1}, {"unit_price", 500}}})}},
            As(a_owner_));
        EXPECT_EQ(invoice.status, 201) << invoice.body;
        ids["invoice"] = invoice.Json()["id"];
        const auto issued = http_.Post(Url("/invoices/" + ids["invoice"] + "/issue"), "", As(a_owner_));
        EXPECT_EQ(issued.status, 200) << issued.body;
        // A payment has no free text of its own (gateway fields are Kiln's): its invoice is A's secret.
        const auto payment =
            http_.Post(Url("/payments"),
                       json{{"invoice_id", ids["invoice"]}, {"amount", 100}, {"currency", "EUR"}, {"method", "cash"}},
                       As(a_owner_));
        EXPECT_EQ(payment.status, 201) << payment.body;
        ids["payment"] = payment.Json()["id"];
        const auto credited = http_.Post(
            Url("/invoices"),
            json{{"customer_id", ids["customer"]},
                 {"currency", "EUR"},
                 {"lines",
                  json::array(
                      {{{"description", "a-secret-credited-" + suffix}, {"quantity", 2}, {"unit_price", 250}}})}},
            As(a_owner_));
        EXPECT_EQ(credited.status, 201) << credited.body;
        const std::string credited_id = credited.Json()["id"];
        EXPECT_EQ(http_.Post(Url("/invoices/" + credited_id + "/issue"), "", As(a_owner_)).status, 200);
        const auto credit_note = http_.Post(Url("/invoices/" + credited_id + "/credit-notes"),
                                            json{{"lines", json::array({{{"invoice_line", 1}, {"quantity", 1}}})},
                                                 {"reason", "a-secret-credit-" + suffix}},
                                            As(a_owner_));
        EXPECT_EQ(credit_note.status, 201) << credit_note.body;
        ids["credit_note"] = credit_note.Json()["id"];
        const auto entry = http_.Post(Url("/ledger/journal-entries"),
                                      json{{"currency", "EUR"},
                                           {"memo", "a-secret-entry-" + suffix},
                                           {"lines", json::array({{{"account_code", "1000"}, {"debit", 700}},
                                                                  {{"account_code", "4000"}, {"credit", 700}}})}},
                                      As(a_owner_));
        EXPECT_EQ(entry.status, 201) << entry.body;
        ids["journal_entry"] = entry.Json()["id"];
        const auto subscription =
            http_.Post(Url("/integrations/webhooks"),
                       json{{"target_url", "http://127.0.0.1:9/a-secret-hook-" + suffix}, {"events", {"invoice.*"}}},
                       As(a_owner_));
        EXPECT_EQ(subscription.status, 201) << subscription.body;
        ids["webhook_subscription"] = subscription.Json()["id"];
        // Provider calls go to a closed local port: the objects exist whatever the provider says.
        const auto twilio = http_.Post(Url("/integrations"),
                                       json{{"type", "twilio"},
                                            {"name", "a-secret-sms-" + suffix},
                                            {"config",
                                             {{"account_sid", "AC" + std::string(32, 'a')},
                                              {"auth_token", std::string(32, 'b')},
                                              {"from_number", "+15550000000"}}}},
                                       As(a_owner_));
        EXPECT_EQ(twilio.status, 201) << twilio.body;
        ids["integration"] = twilio.Json()["id"];
        PointAt(ids["integration"], "http://127.0.0.1:9");  // nothing listens there: the send fails, as intended
        const auto message = http_.Post(
            Url("/messages/sms"),
            json{{"to", "+15551234567"}, {"body", "a-secret-sms-" + suffix}, {"integration_id", ids["integration"]}},
            As(a_owner_));
        EXPECT_EQ(message.status, 202) << message.body;
        ids["message"] = message.Json()["id"];
        docusign_.AllowStaticToken("walk-token");
        const auto docusign =
            http_.Post(Url("/integrations"),
                       json{{"type", "docusign"},
                            {"name", "a-secret-signatures-" + suffix},
                            {"config", {{"account_id", "walk-account"}, {"access_token", "walk-token"}}}},
                       As(a_owner_));
        EXPECT_EQ(docusign.status, 201) << docusign.body;
        PointAt(docusign.Json()["id"], docusign_.base_url() + "/restapi", docusign_.base_url());
        const auto signature = http_.Post(Url("/signature-requests"),
                                          json{{"integration_id", docusign.Json()["id"]},
                                               {"subject", "a-secret-envelope-" + suffix},
                                               {"documents", {{{"name", "a.pdf"}, {"content_base64", "JVBERi0xLjQ="}}}},
                                               {"signers", {{{"email", "signer@example.test"}, {"name", "Signer"}}}}},
                                          As(a_owner_));
        EXPECT_EQ(signature.status, 201) << signature.body;
        ids["signature_request"] = signature.Json()["id"];
        // Plugins are the platform's (every tenant sees the registry); what is A's is its configuration.
        const std::string plugin = "walk-plugin-" + suffix;
        const auto published = http_.Post(
            Url("/plugins"),
            json{{"key", plugin},
                 {"name", "Walk plugin " + suffix},
                 {"version", "1.0.0"},
                 {"config_schema",
                  {{"type", "object"},
                   {"properties",
                    {{"token", {{"type", "string"}, {"writeOnly", true}}}, {"note", {{"type", "string"}}}}}}}},
            As(a_owner_));
        EXPECT_EQ(published.status, 201) << published.body;
        const auto configured = http_.Post(
            Url("/plugins/tenant/" + plugin + "/configure"),
            json{{"config", {{"token", "a-secret-plugin-token-" + suffix}, {"note", "a-secret-note-" + suffix}}}},
            As(a_owner_));
        EXPECT_EQ(configured.status, 200) << configured.body;
        ids["plugin"] = plugin;
        // Account codes and months are the same names in every tenant: B reaches its own (empty)
        // statement or period, never A's.
        ids["ledger_account"] = "1000";
        ids["accounting_period"] = "2020-01";
        return ids;
    }
};

TEST_F(RouteWalk, TenantBCannotReadOrChangeTenantAObjects) {
    const auto ids = TenantAObjects();
    const std::string a_snapshot_before = http_.Get(Url("/roles/" + ids.at("role")), As(a_owner_)).body;
    const json a_members_before = http_.Get(Url("/members"), As(a_owner_)).Json();
    const json a_tokens_before = http_.Get(Url("/tokens"), As(a_owner_)).Json();
    int walked = 0;
    for (const auto& route : AllRoutes(*server_)) {
        if (route.access != "tenant") continue;
        ++walked;
        const std::string prefix = "/api/v1";
        const std::string path = Fill(route.path.substr(prefix.size()), ids, route.entity_type);
        const std::string body = BodyFor(route);
        SCOPED_TRACE(route.method + " " + path + " " + body);

        // 1. B's owner naming tenant A: the tenant does not exist for them.
        const auto foreign = http_.Request(route.method, Url(path), body, As(b_owner_, "demo"));
        EXPECT_EQ(foreign.status, 404) << foreign.body;

        // 2. B's owner in B, aimed at A's object ids: nothing to find, nothing leaked.
        const auto own = http_.Request(route.method, Url(path), body, As(b_owner_));
        if (path.find(ids.at("role")) != std::string::npos || path.find(ids.at("api_token")) != std::string::npos ||
            path.find(ids.at("member")) != std::string::npos) {
            EXPECT_TRUE(own.status == 404 || own.status == 422) << own.status << " " << own.body;
        }
        // Reading one of A's objects by its id, from B: there is no such object.
        if (route.method == "GET" && path != route.path.substr(prefix.size())) {
            bool names_a_secret_id = false;
            for (const auto& [kind, id] : ids)
                if (kind != "ledger_account" && kind != "accounting_period" && kind != "plugin" && kind != "tenant" &&
                    path.find(id) != std::string::npos)
                    names_a_secret_id = true;
            if (names_a_secret_id) {
                EXPECT_EQ(own.status, 404) << own.body;
            }
        }
        // A problem's `instance` repeats the request path (the caller's own input); all else must be free of A.
        json seen = own.Json();
        if (seen.is_object()) seen.erase("instance");
        const std::string visible = seen.dump();
        for (const auto& [kind, id] : ids) {
            // Shared names (chart codes, months, the platform's plugin keys), not secret ids: B sees its own "1000"
            // and months, and every plugin of the registry.
            if (kind == "ledger_account" || kind == "accounting_period" || kind == "plugin") continue;
            EXPECT_EQ(visible.find(id), std::string::npos) << kind << " leaked";
        }
        EXPECT_EQ(visible.find("a-secret-"), std::string::npos);
    }
    EXPECT_GT(walked, 10);
    EXPECT_EQ(http_.Get(Url("/roles/" + ids.at("role")), As(a_owner_)).body, a_snapshot_before);
    EXPECT_EQ(http_.Get(Url("/members"), As(a_owner_)).Json(), a_members_before);
    EXPECT_EQ(http_.Get(Url("/tokens"), As(a_owner_)).Json()["data"].size(), a_tokens_before["data"].size());
}

TEST_F(RouteWalk, EveryDeclaredPermissionIsEnforced) {
    // A member whose custom role grants nothing, and a user who is not a platform administrator.
    ASSERT_EQ(http_.Post(Url("/roles"), json{{"name", "nothing"}, {"permissions", json::array()}}, As(b_owner_)).status,
              201);
    const std::string email = "powerless-" + std::to_string(std::rand()) + "@beta.test";
    AddMember(b_owner_, "", email, "nothing");
    const std::string powerless = Login(email, "member-password-1");

    std::set<std::string> platform_permissions;
    const json permissions = http_.Get(Url("/permissions"), As(a_owner_)).Json();
    for (const auto& p : permissions["data"])
        if (p["platform"].get<bool>()) platform_permissions.insert(p["name"]);
    ASSERT_FALSE(platform_permissions.empty());

    const auto ids = TenantAObjects();
    int checked = 0;
    for (const auto& route : AllRoutes(*server_)) {
        if (route.permission.empty()) continue;
        ++checked;
        const std::string path = Fill(route.path.substr(std::string("/api/v1").size()), ids, route.entity_type);
        const std::string body = BodyFor(route);
        SCOPED_TRACE(route.method + " " + path + " needs " + route.permission);
        const auto denied = http_.Request(route.method, Url(path), body, As(powerless));
        EXPECT_EQ(denied.status, 403) << denied.body;
        EXPECT_NE(denied.Json().value("detail", "").find(route.permission), std::string::npos) << denied.body;

        // Holding exactly that permission passes the check. Platform permissions belong to A's
        // platform administrator; a tenant permission is given to a token in B that holds only it,
        // aimed at a made-up id in B (allowed through, then nothing found).
        const bool platform = platform_permissions.contains(route.permission);
        HttpResponse allowed;
        if (platform) {
            allowed = http_.Request(route.method, Url(path), body, As(a_owner_));
        } else {
            const auto token =
                http_.Post(Url("/tokens"),
                           json{{"name", "only-" + route.permission}, {"permissions", json::array({route.permission})}},
                           As(b_owner_));
            ASSERT_EQ(token.status, 201) << token.body;
            const std::string in_b =
                std::regex_replace(route.path.substr(std::string("/api/v1").size()), std::regex(R"(\{[a-z_]+\})"),
                                   "00000000-0000-7000-8000-000000000000");
            allowed = http_.Request(route.method, Url(in_b), body, As(token.Json()["token"]));
        }
        EXPECT_NE(allowed.status, 403) << allowed.body;
        EXPECT_LT(allowed.status, 500) << allowed.body;
    }
    EXPECT_GT(checked, 15);
}

}  // namespace
}  // namespace kiln::testing
