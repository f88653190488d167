// API conventions (DESIGN §10) against the real binary: problem documents, request ids, bad input,
// idempotency, pagination, OpenAPI completeness, health.
#include <set>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class ApiConventions : public ApiTest {};

void ExpectProblem(const HttpResponse& r, long status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << r.body;
    const json body = r.Json();
    EXPECT_EQ(body["status"], status);
    EXPECT_TRUE(body["title"].is_string());
    EXPECT_TRUE(body["detail"].is_string());
    EXPECT_EQ(body["type"].get<std::string>().rfind("urn:kiln:problem:", 0), 0U);
}

TEST_F(ApiConventions, HealthProbesAnswer) {
    const auto live = http_.Get(Url("/health/live"));
    EXPECT_EQ(live.status, 200);
    const auto ready = http_.Get(Url("/health/ready"));
    EXPECT_EQ(ready.status, 200) << ready.body;
    const json health = http_.Get(Url("/health")).Json();
    EXPECT_EQ(health["status"], "ok");
    EXPECT_EQ(health["components"]["database"]["status"], "up");
    EXPECT_EQ(health["components"]["migrations"]["status"], "up");
    // Public: what a probe needs, not the version (issue 12, item 13; the summary has it).
    EXPECT_FALSE(health.contains("version")) << health.dump();
}

TEST_F(ApiConventions, RequestIdIsEchoedOrGenerated) {
    const auto given = http_.Get(Url("/health/live"), {{"X-Request-Id", "abc-123.x_y"}});
    EXPECT_EQ(given.Header("x-request-id"), "abc-123.x_y");
    const auto generated = http_.Get(Url("/health/live"));
    EXPECT_EQ(generated.Header("x-request-id").size(), 36U);
    const auto unsafe = http_.Get(Url("/health/live"), {{"X-Request-Id", "bad id\"<script>"}});
    EXPECT_EQ(unsafe.Header("x-request-id").size(), 36U);
    const auto problem = http_.Get(Url("/nothing-here"), {{"X-Request-Id", "trace-me"}});
    EXPECT_EQ(problem.Json()["request_id"], "trace-me");
}

TEST_F(ApiConventions, UnknownPathAndMethodAreProblems) {
    ExpectProblem(http_.Get(Url("/nothing-here")), 404);
    ExpectProblem(http_.Request("PATCH", Url("/roles"), "{}", As(a_owner_)), 405);
    ExpectProblem(http_.Request("OPTIONS", Url("/roles")), 405);
}

TEST_F(ApiConventions, MissingOrBadCredentialsAre401) {
    ExpectProblem(http_.Get(Url("/roles")), 401);
    ExpectProblem(http_.Get(Url("/roles"), {{"Authorization", "Bearer kiln_ses_nope"}}), 401);
    ExpectProblem(http_.Get(Url("/roles"), {{"Authorization", "Basic YTpi"}}), 401);
    EXPECT_EQ(http_.Get(Url("/roles")).Header("www-authenticate"), "Bearer");
}

TEST_F(ApiConventions, MalformedBodiesAre400WithoutWrites) {
    const auto before = http_.Get(Url("/roles"), As(a_owner_)).Json()["data"].size();
    ExpectProblem(http_.Post(Url("/roles"), "{\"name\":", As(a_owner_)), 400);
    ExpectProblem(http_.Post(Url("/roles"), "", As(a_owner_)), 400);
    ExpectProblem(http_.Post(Url("/roles"), std::string("{\"name\":\"\xc3\x28\",\"permissions\":[]}"), As(a_owner_)),
                  400);
    ExpectProblem(http_.Post(Url("/roles"), std::string(200, '[') + std::string(200, ']'), As(a_owner_)), 400);
    ExpectProblem(http_.Delete(Url("/tokens/00000000-0000-7000-8000-000000000000"),
                               {{"Authorization", "Bearer " + a_owner_}, {"Content-Type", "application/json"}}),
                  404);
    EXPECT_EQ(http_.Get(Url("/roles"), As(a_owner_)).Json()["data"].size(), before);
}

TEST_F(ApiConventions, InvalidFieldsAre422WithEveryFieldError) {
    const auto r =
        http_.Post(Url("/roles"), json{{"name", 42}, {"permissions", json::array({"nope:never"})}, {"colour", "red"}},
                   As(a_owner_));
    ExpectProblem(r, 422);
    std::set<std::string> fields;
    const json problem = r.Json();
    for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
    EXPECT_TRUE(fields.contains("name"));
    EXPECT_TRUE(fields.contains("colour"));
    const auto huge = http_.Post(Url("/admin/tenants"),
                                 std::string(R"({"name":"x","slug":123456789012345678901234567890})"), As(a_owner_));
    ExpectProblem(huge, 422);
    const auto unknown_permission = http_.Post(
        Url("/roles"), json{{"name", "bad-perm"}, {"permissions", json::array({"nope:never"})}}, As(a_owner_));
    ExpectProblem(unknown_permission, 422);
    EXPECT_EQ(unknown_permission.Json()["errors"][0]["field"], "permissions[0]");
}

TEST_F(ApiConventions, ActionsTakeNoBodyAnEmptyOneOrAnEmptyObject) {
    const json customer = Created(http_.Post(Url("/customers"), json{{"name", "Action Body Ltd"}}, As(a_owner_)));
    const json line = {{"description", "x"}, {"quantity", 1}, {"unit_price", 100}, {"tax_rate_bp", 0}};
    const auto draft = [&] {
        return Created(http_.Post(Url("/invoices"),
                                  json{{"customer_id", customer["id"]}, {"currency", "EUR"}, {"lines", {line}}},
                                  As(a_owner_)))["id"]
            .get<std::string>();
    };
    // Refused bodies first, on one draft: it stays a draft.
    const std::string refused = draft();
    const std::string issue = "/invoices/" + refused + "/issue";
    const auto with_field = http_.Post(Url(issue), json{{"notify", true}}, As(a_owner_));
    ExpectProblem(with_field, 422);
    EXPECT_EQ(FieldErrors(with_field), std::vector<std::string>{"notify"});
    ExpectProblem(http_.Post(Url(issue), json::array(), As(a_owner_)), 422);
    ExpectProblem(http_.Post(Url(issue), "{", As(a_owner_)), 400);
    EXPECT_EQ(http_.Get(Url("/invoices/" + refused), As(a_owner_)).Json()["status"], "draft");
    // Nothing, whitespace and {} are all no fields.
    for (const std::string body : {"", "  \n", "{}"}) {
        const auto issued = http_.Post(Url("/invoices/" + draft() + "/issue"), body, As(a_owner_));
        EXPECT_EQ(issued.status, 200) << "body '" << body << "': " << issued.body;
    }
}

TEST_F(ApiConventions, OversizedBodyIs413) {
    const std::string big = "{\"name\":\"" + std::string(1200 * 1024, 'a') + "\",\"permissions\":[]}";
    ExpectProblem(http_.Post(Url("/roles"), big, As(a_owner_)), 413);
}

// Headers and the URL arrive before the body and are bounded by the parser (http/request_limits.hpp): a
// client cannot make the server hold megabytes of them. Over a bound the connection is refused; the server
// goes on serving.
TEST_F(ApiConventions, OversizedUrlOrHeadersAreRefused) {
    const auto refused = [](const std::string& url, const HeaderList& headers) {
        HttpClient fresh;
        try {
            return fresh.Get(url, headers).status >= 400;
        } catch (const std::runtime_error&) {
            return true;  // the connection was closed without an answer
        }
    };
    HeaderList many;
    for (int i = 0; i < 101; ++i) many.emplace_back("X-Filler-" + std::to_string(i), "1");
    EXPECT_TRUE(refused(Url("/health/live"), many));
    EXPECT_TRUE(refused(Url("/health/live"), {{"X-Long", std::string(17 * 1024, 'a')}}));
    EXPECT_TRUE(refused(Url("/health/live"), {{"X-" + std::string(300, 'n'), "1"}}));
    EXPECT_TRUE(refused(Url("/health/live?q=" + std::string(9 * 1024, 'q')), {}));

    HeaderList within;
    for (int i = 0; i < 20; ++i) within.emplace_back("X-Filler-" + std::to_string(i), std::string(1024, 'v'));
    EXPECT_EQ(http_.Get(Url("/health/live"), within).status, 200);
    EXPECT_EQ(http_.Get(Url("/health/live?q=" + std::string(4 * 1024, 'q'))).status, 200);
}

TEST_F(ApiConventions, SqlMetaCharactersAreJustText) {
    const std::string name = "x'); DROP TABLE roles; -- \" ; \\ %_";
    const auto created =
        http_.Post(Url("/roles"), json{{"name", name}, {"description", "' OR 1=1 --"}, {"permissions", json::array()}},
                   As(a_owner_));
    ASSERT_EQ(created.status, 201) << created.body;
    const auto fetched = http_.Get(Url("/roles/" + created.Json()["id"].get<std::string>()), As(a_owner_)).Json();
    EXPECT_EQ(fetched["name"], name);
    EXPECT_EQ(fetched["description"], "' OR 1=1 --");
    const auto filtered = http_.Get(Url("/audit-logs?entity_type=role%27%20OR%20%271%27=%271"), As(a_owner_));
    EXPECT_EQ(filtered.status, 200);
    EXPECT_TRUE(filtered.Json()["data"].empty());
    ExpectProblem(http_.Get(Url("/roles/%27%20OR%20%271%27=%271"), As(a_owner_)), 404);
}

TEST_F(ApiConventions, IdempotencyKeyReplaysOrRefuses) {
    const json body{{"name", "idem-role"}, {"permissions", json::array({"members:read"})}};
    const HeaderList headers = {{"Authorization", "Bearer " + a_owner_}, {"Idempotency-Key", "key-1"}};
    const auto first = http_.Post(Url("/roles"), body, headers);
    ASSERT_EQ(first.status, 201) << first.body;
    const auto second = http_.Post(Url("/roles"), body, headers);
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.Header("idempotent-replayed"), "true");
    const auto other = http_.Post(Url("/roles"), json{{"name", "idem-other"}, {"permissions", json::array()}}, headers);
    ExpectProblem(other, 422);
    int named = 0;
    const auto roles = http_.Get(Url("/roles"), As(a_owner_));
    const json listed = roles.Json();
    for (const auto& role : listed["data"]) named += role["name"].get<std::string>() == "idem-role" ? 1 : 0;
    EXPECT_EQ(named, 1) << roles.body;
    // Keys are per tenant and credential: B's identical key is B's own.
    const auto in_b =
        http_.Post(Url("/roles"), body, {{"Authorization", "Bearer " + b_owner_}, {"Idempotency-Key", "key-1"}});
    EXPECT_EQ(in_b.status, 201);
    EXPECT_NE(in_b.Json()["id"], first.Json()["id"]);
}

TEST_F(ApiConventions, CursorPaginationWalksEveryRowOnce) {
    const std::string token = Login("owner@beta.test", kBetaPassword);
    std::set<std::string> created;
    for (int i = 0; i < 5; ++i) {
        const auto r = http_.Post(Url("/tokens"), json{{"name", "page-" + std::to_string(i)}}, As(token));
        ASSERT_EQ(r.status, 201) << r.body;
        created.insert(r.Json()["id"].get<std::string>());
    }
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    do {
        const auto page =
            http_.Get(Url("/tokens?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)), As(token)).Json();
        EXPECT_LE(page["data"].size(), 2U);
        for (const auto& t : page["data"]) EXPECT_TRUE(seen.insert(t["id"].get<std::string>()).second);
        cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 20);
    for (const auto& id : created) EXPECT_TRUE(seen.contains(id)) << id;
    ExpectProblem(http_.Get(Url("/tokens?limit=0"), As(token)), 422);
    ExpectProblem(http_.Get(Url("/tokens?limit=abc"), As(token)), 422);
    ExpectProblem(http_.Get(Url("/tokens?cursor=%25%25"), As(token)), 422);
}

TEST_F(ApiConventions, OpenApiDocumentsEveryRegisteredRoute) {
    std::string out;
    ASSERT_EQ(server_->Cli({"routes"}, &out), 0) << out;
    const json routes = json::parse(out.substr(out.find('[')));
    const json doc = http_.Get(server_->base_url() + "/api/openapi.json").Json();
    EXPECT_EQ(doc["openapi"], "3.1.0");
    ASSERT_GT(routes.size(), 20U);
    for (const auto& route : routes) {
        std::string method = route["method"];
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
        const std::string path = route["path"];
        ASSERT_TRUE(doc["paths"].contains(path)) << path << " is missing from the OpenAPI document";
        ASSERT_TRUE(doc["paths"][path].contains(method)) << method << " " << path << " is missing";
        const auto& op = doc["paths"][path][method];
        EXPECT_EQ(op["operationId"], route["operation_id"]);
        if (!route["permission"].get<std::string>().empty()) {
            EXPECT_EQ(op["x-permission"], route["permission"]);
        }
    }
    const auto docs = http_.Get(server_->base_url() + "/api/docs");
    EXPECT_EQ(docs.status, 200);
    EXPECT_NE(docs.body.find("openapi.json"), std::string::npos);
}

TEST_F(ApiConventions, ForeignOrUnknownTenantHeaderIs404) {
    ExpectProblem(http_.Get(Url("/roles"), As(a_owner_, "beta")), 404);
    ExpectProblem(http_.Get(Url("/roles"), As(a_owner_, b_tenant_id_)), 404);
    ExpectProblem(http_.Get(Url("/roles"), As(a_owner_, "no-such-tenant")), 404);
    ExpectProblem(http_.Get(Url("/roles"), As(a_owner_, "00000000-0000-7000-8000-000000000000")), 404);
    ExpectProblem(http_.Get(Url("/roles"), As(a_owner_, "' OR 1=1 --")), 404);
    EXPECT_EQ(http_.Get(Url("/roles"), As(a_owner_, "demo")).status, 200);
    EXPECT_EQ(http_.Get(Url("/roles"), As(a_owner_, a_tenant_id_)).status, 200);
}

}  // namespace
}  // namespace kiln::testing
