#include <gtest/gtest.h>

#include "auth/permissions.hpp"
#include "auth/token.hpp"
#include "http/route.hpp"
#include "http/schema.hpp"
#include "modules/audit/audit_repository.hpp"
#include "modules/tenancy/tenancy_repository.hpp"

namespace kiln {
namespace {

using http::Schema;
using nlohmann::json;

std::vector<FieldError> ErrorsOf(const Schema& schema, const json& value) {
    try {
        schema.Validate(value);
    } catch (const ValidationError& e) {
        return e.field_errors();
    }
    return {};
}

Schema Sample() {
    return Schema::Object()
        .Required("email", Schema::String().Format("email").MaxLength(50))
        .Required("count", Schema::Integer().Minimum(1).Maximum(10))
        .Field("tags", Schema::ArrayOf(Schema::String().MinLength(1)).MaxItems(2))
        .Field("slug", Schema::String().Format("slug"));
}

TEST(Schema, AcceptsAValidBody) {
    EXPECT_TRUE(
        ErrorsOf(Sample(), {{"email", "a@b.co"}, {"count", 3}, {"tags", {"x"}}, {"slug", "acme-tools"}}).empty());
}

TEST(Schema, ReportsEveryFieldErrorAtOnce) {
    const auto errors = ErrorsOf(Sample(), {{"email", "nope"}, {"tags", {"", 5, "z"}}, {"extra", true}});
    std::set<std::string> fields;
    for (const auto& e : errors) fields.insert(e.field);
    EXPECT_EQ(fields, (std::set<std::string>{"email", "count", "tags", "tags[0]", "tags[1]", "extra"}));
}

TEST(Schema, RejectsHugeAndFractionalNumbers) {
    EXPECT_EQ(ErrorsOf(Sample(), json::parse(R"({"email":"a@b.co","count":18446744073709551615})")).size(), 1U);
    EXPECT_EQ(ErrorsOf(Sample(), json::parse(R"({"email":"a@b.co","count":1e300})")).size(), 1U);
    EXPECT_EQ(ErrorsOf(Sample(), json::parse(R"({"email":"a@b.co","count":2.5})")).size(), 1U);
    EXPECT_EQ(ErrorsOf(Sample(), json::parse(R"({"email":"a@b.co","count":11})")).size(), 1U);
}

TEST(Schema, CountsLengthInCharactersNotBytes) {
    const auto schema = Schema::Object().Required("name", Schema::String().MaxLength(3));
    EXPECT_TRUE(ErrorsOf(schema, {{"name", "äöü"}}).empty());
    EXPECT_EQ(ErrorsOf(schema, {{"name", "äöüß"}}).size(), 1U);
}

TEST(Schema, NonObjectBodyIsOneError) {
    const auto errors = ErrorsOf(Sample(), json::array());
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].field, "body");
}

TEST(Schema, ReadOnlyFieldsAreRefusedEvenAsNullAndPublishedAsReadOnly) {
    const auto schema = Schema::Object()
                            .Required("amount", Schema::Integer())
                            .Field("gateway_ref", Schema::String().Nullable().ReadOnly());
    EXPECT_TRUE(ErrorsOf(schema, {{"amount", 1}}).empty());
    for (const json& value : {json("pi_123"), json(nullptr), json(5)}) {
        const auto errors = ErrorsOf(schema, {{"amount", 1}, {"gateway_ref", value}});
        ASSERT_EQ(errors.size(), 1U) << value;
        EXPECT_EQ(errors[0].field, "gateway_ref");
        EXPECT_EQ(errors[0].message, "is set by Kiln only");
    }
    EXPECT_EQ(schema.ToJsonSchema()["properties"]["gateway_ref"]["readOnly"], true);
}

TEST(Schema, PublishesJsonSchema) {
    const json s = Sample().ToJsonSchema();
    EXPECT_EQ(s["type"], "object");
    EXPECT_EQ(s["additionalProperties"], false);
    EXPECT_EQ(s["required"], json({"email", "count"}));
    EXPECT_EQ(s["properties"]["count"]["maximum"], 10);
}

TEST(ParseJsonBody, RejectsMalformedDeepAndInvalidUtf8) {
    EXPECT_THROW(http::ParseJsonBody("{"), BadRequest);
    EXPECT_THROW(http::ParseJsonBody(""), BadRequest);
    EXPECT_THROW(http::ParseJsonBody(R"({"count":1e400})"), BadRequest);
    EXPECT_THROW(http::ParseJsonBody("{\"a\":\"\xff\"}"), BadRequest);
    EXPECT_THROW(http::ParseJsonBody(std::string(1000, '[') + std::string(1000, ']')), BadRequest);
    EXPECT_EQ(http::ParseJsonBody(R"({"a":[1,2]})")["a"][1], 2);
}

http::Route RouteAt(http::Method method, std::string path) {
    http::Route r;
    r.method = method;
    r.path = std::move(path);
    r.operation_id = r.path;
    return r;
}

TEST(RouteTable, StaticSegmentsWinOverParameters) {
    http::RouteTable table("api/v1");
    table.Add(RouteAt(http::Method::kGet, "/integrations/{id}"));
    table.Add(RouteAt(http::Method::kGet, "/integrations/webhooks"));
    const auto match = table.Find(http::Method::kGet, "/api/v1/integrations/webhooks");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->path, "/integrations/webhooks");
    const auto param = table.Find(http::Method::kGet, "/api/v1/integrations/abc%20d");
    ASSERT_NE(param.route, nullptr);
    EXPECT_EQ(param.params.at("id"), "abc d");
}

TEST(RouteTable, OtherMethodOnAKnownPathIsReported) {
    http::RouteTable table("api/v1");
    table.Add(RouteAt(http::Method::kGet, "/roles"));
    table.Add(RouteAt(http::Method::kGet, "/roles/{id}"));
    const auto match = table.Find(http::Method::kDelete, "/api/v1/roles");
    EXPECT_EQ(match.route, nullptr);
    EXPECT_TRUE(match.path_exists);
    EXPECT_FALSE(table.Find(http::Method::kGet, "/api/v1/nothing").path_exists);
    EXPECT_THROW(table.Find(http::Method::kGet, "/api/v1/roles/%zz"), BadRequest);
}

TEST(RouteTable, RefusesDuplicateDeclarations) {
    http::RouteTable table("api/v1");
    table.Add(RouteAt(http::Method::kGet, "/roles"));
    EXPECT_THROW(table.Add(RouteAt(http::Method::kGet, "/roles")), std::logic_error);
}

TEST(Permissions, BuiltInRolesGrantOnlyTenantPermissions) {
    for (const auto& role : auth::BuiltInRoleNames()) {
        const auto granted = auth::BuiltInRolePermissions(role);
        EXPECT_FALSE(granted.empty()) << role;
        for (const auto& p : granted) {
            EXPECT_TRUE(auth::IsKnownPermission(p)) << p;
            EXPECT_FALSE(auth::IsPlatformPermission(p)) << role << " grants " << p;
        }
    }
    EXPECT_TRUE(auth::BuiltInRolePermissions("owner").contains("roles:create"));
    EXPECT_FALSE(auth::BuiltInRolePermissions("viewer").contains("roles:create"));
    EXPECT_FALSE(auth::BuiltInRolePermissions("viewer").contains("audit:read"));
    EXPECT_TRUE(auth::BuiltInRolePermissions("accountant").contains("audit:read"));
    EXPECT_TRUE(auth::BuiltInRolePermissions("nobody").empty());
    EXPECT_EQ(auth::PlatformPermissions(),
              (std::set<std::string>{"plugins:create", "plugins:delete", "admin:system:read", "admin:system:write"}));
}

TEST(Tokens, CarryPrefixAndHashDeterministically) {
    const std::string token = auth::GenerateToken(auth::kApiTokenPrefix);
    EXPECT_EQ(token.rfind("kiln_pat_", 0), 0U);
    EXPECT_GE(token.size(), 9U + 43U);
    EXPECT_EQ(auth::HashToken(token), auth::HashToken(token));
    EXPECT_NE(auth::HashToken(token), auth::HashToken(auth::GenerateToken(auth::kApiTokenPrefix)));
    EXPECT_EQ(auth::TokenHint(token).find(token.substr(20)), std::string::npos);
}

TEST(Audit, RedactsSecretsAtAnyDepth) {
    const json redacted = audit::RedactSecrets(
        {{"name", "x"}, {"password", "p"}, {"config", {{"api_key", "sk"}, {"webhook_secret", "w"}, {"region", "eu"}}}});
    EXPECT_EQ(redacted["name"], "x");
    EXPECT_EQ(redacted["password"], "[REDACTED]");
    EXPECT_EQ(redacted["config"]["api_key"], "[REDACTED]");
    EXPECT_EQ(redacted["config"]["webhook_secret"], "[REDACTED]");
    EXPECT_EQ(redacted["config"]["region"], "eu");
}

TEST(Tenancy, SlugsFromNames) {
    EXPECT_EQ(tenancy::SlugFromName("Acme Tools, Inc."), "acme-tools-inc");
    EXPECT_EQ(tenancy::SlugFromName("  --  "), "tenant");
    EXPECT_EQ(tenancy::SlugFromName(std::string(100, 'a')).size(), 63U);
}

}  // namespace
}  // namespace kiln
