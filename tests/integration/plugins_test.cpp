// The plugin marketplace over the API (issue 14, the specified contract): the platform's registry, each tenant's
// configuration validated against the plugin's draft-07 schema with defaults and sealed secrets, toggling, tenant
// isolation, permissions, and bad input that must be a problem document, never a crash.
#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

#include "api_fixture.hpp"
#include "stored_rows.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const std::string kEllipsis = "\xE2\x80\xA6";  // what a mask shows in place of a secret

/// A configuration schema with what the tests need: a required secret (writeOnly), a secret by format, a
/// constrained enum with a default, an integer with a default and range, a nested object with a default inside.
json WeatherSchema() {
    return json::parse(R"({
        "type": "object",
        "additionalProperties": false,
        "required": ["api_key", "city"],
        "properties": {
            "api_key": {"type": "string", "writeOnly": true, "minLength": 16},
            "webhook_password": {"type": "string", "format": "password"},
            "city": {"type": "string", "minLength": 2, "pattern": "^[A-Za-z ]+$"},
            "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
            "retries": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
            "display": {"type": "object", "properties": {"theme": {"type": "string", "default": "light"}}}
        }
    })");
}

class Plugins : public ApiTest {
  protected:
    /// Publishes a plugin as the demo owner (a platform administrator); fails the test on anything but 201.
    json Publish(const std::string& key, const json& schema = WeatherSchema(), bool enabled = true) {
        const auto r = http_.Post(Url("/plugins"),
                                  json{{"key", key},
                                       {"name", "Weather " + key},
                                       {"version", "1.0.0"},
                                       {"description", "Forecasts on invoices"},
                                       {"config_schema", schema},
                                       {"is_enabled", enabled}},
                                  As(a_owner_));
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json();
    }
    HttpResponse Configure(const std::string& key, const json& config, const std::string& token,
                           const std::string& tenant = "") {
        return http_.Post(Url("/plugins/tenant/" + key + "/configure"), json{{"config", config}}, As(token, tenant));
    }
    HttpResponse Toggle(const std::string& key, bool enabled, const std::string& token) {
        return http_.Post(Url("/plugins/tenant/" + key + "/toggle"), json{{"enabled", enabled}}, As(token));
    }
    /// The events of one plugin in tenant A (or `token`'s tenant), oldest first, as (type, data).
    std::vector<std::pair<std::string, json>> Events(const std::string& key, const std::string& token = a_owner_) {
        std::vector<std::pair<std::string, json>> seen;
        const json events = http_.Get(Url("/events?limit=200"), As(token)).Json();
        for (const auto& e : events["data"])
            if (e["ordering_key"] == "plugin:" + key) seen.emplace_back(e["type"], e["data"]);
        std::reverse(seen.begin(), seen.end());
        return seen;
    }
    std::vector<std::string> EventTypes(const std::string& key, const std::string& token = a_owner_) {
        std::vector<std::string> types;
        for (const auto& [type, data] : Events(key, token)) types.push_back(type);
        return types;
    }
    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + "-" + std::to_string(++counter);
    }
    static bool IsProblem(const HttpResponse& r) {
        return r.Header("content-type").find("application/problem+json") != std::string::npos;
    }
    /// Every byte of the server's SQLite files (database and write-ahead log), as a reader of the disk sees them.
    static std::string SqliteFiles() {
        std::string all;
        for (const char* name : {"/kiln.db", "/kiln.db-wal"}) {
            std::ifstream in(server_->data_dir() + name, std::ios::binary);
            std::stringstream content;
            content << in.rdbuf();
            all += content.str();
        }
        return all;
    }
};

TEST_F(Plugins, PlatformAdministratorPublishesChangesAndRemovesPlugins) {
    const std::string key = Unique("weather");
    const json created = Publish(key);
    EXPECT_EQ(created["key"], key);
    EXPECT_EQ(created["version"], "1.0.0");
    EXPECT_EQ(created["config_schema"], WeatherSchema());
    EXPECT_THAT(created["secret_fields"], UnorderedElementsAre("api_key", "webhook_password"));
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(a_owner_)).Json(), created);

    // Every tenant sees the registry.
    const auto available = http_.Get(Url("/plugins/available"), As(b_owner_));
    ASSERT_EQ(available.status, 200) << available.body;
    bool listed = false;
    const json registry = available.Json();  // named: a range-for over a temporary's member would dangle
    for (const auto& p : registry["data"]) listed = listed || p["key"] == key;
    EXPECT_TRUE(listed) << available.body;
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(b_owner_)).Json(), created);

    const auto updated =
        http_.Put(Url("/plugins/" + key), json{{"version", "1.1.0"}, {"name", "Weather+"}}, As(a_owner_));
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.Json()["version"], "1.1.0");
    EXPECT_EQ(updated.Json()["name"], "Weather+");
    EXPECT_EQ(updated.Json()["description"], "Forecasts on invoices");
    // The key never changes.
    const auto rekeyed = http_.Put(Url("/plugins/" + key), json{{"key", "other"}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(rekeyed), ElementsAre("key")) << rekeyed.body;

    // Tenant B configures it; deleting the plugin deletes B's configuration too (across tenants).
    ASSERT_EQ(Configure(key, {{"api_key", "b-key-0123456789abcdef"}, {"city", "Oslo"}}, b_owner_).status, 200);
    EXPECT_EQ(http_.Delete(Url("/plugins/" + key), As(a_owner_)).status, 204);
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Delete(Url("/plugins/" + key), As(a_owner_)).status, 404);
    EXPECT_TRUE(QueryStored(*server_, "SELECT id FROM plugin_configs WHERE plugin_key = '" + key + "'").empty());
    Publish(key);  // the same key again starts from nothing
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(b_owner_)).status, 404);

    EXPECT_THAT(EventTypes(key),
                ElementsAre("plugin.installed", "plugin.updated", "plugin.deleted", "plugin.installed"));
    const auto events = Events(key);
    EXPECT_EQ(events[1].second["changes"]["version"], json::parse(R"({"from": "1.0.0", "to": "1.1.0"})"));
    const auto audit = http_.Get(Url("/audit-logs?entity_type=plugin&entity_id=" + key), As(a_owner_)).Json()["data"];
    std::vector<std::string> actions;
    for (const auto& row : audit) actions.push_back(row["action"]);
    EXPECT_THAT(actions, ElementsAre("plugins.install", "plugins.delete", "plugins.update", "plugins.install"))
        << audit.dump();
}

TEST_F(Plugins, ConfigSchemaMustBeAValidDraft07Schema) {
    const auto publish = [&](const json& schema) {
        return http_.Post(
            Url("/plugins"),
            json{{"key", Unique("bad-schema")}, {"name", "Bad"}, {"version", "1.0.0"}, {"config_schema", schema}},
            As(a_owner_));
    };
    const auto wrong_type = publish(json::parse(R"({"type": "object", "properties": {"a": {"type": "strin"}}})"));
    ASSERT_EQ(wrong_type.status, 422) << wrong_type.body;
    EXPECT_TRUE(IsProblem(wrong_type));
    ASSERT_FALSE(FieldErrors(wrong_type).empty());
    EXPECT_EQ(FieldErrors(wrong_type)[0].rfind("config_schema.properties.a", 0), 0U) << wrong_type.body;

    EXPECT_THAT(FieldErrors(publish({{"minLength", -1}})), ElementsAre("config_schema.minLength"));
    EXPECT_THAT(FieldErrors(publish({{"required", "a"}})), ElementsAre("config_schema.required"));
    EXPECT_THAT(FieldErrors(publish({{"type", "array"}})), ElementsAre("config_schema.type"));
    EXPECT_THAT(FieldErrors(publish({{"properties", {{"a", {{"type", "string"}, {"pattern", "(unclosed"}}}}}})),
                ElementsAre("config_schema.properties.a.pattern"));
    // Kiln never fetches what a schema names, and refuses loops that would never reach a value.
    EXPECT_THAT(FieldErrors(publish({{"$ref", "http://169.254.169.254/latest/meta-data"}})),
                ElementsAre("config_schema.$ref"));
    EXPECT_THAT(FieldErrors(publish({{"allOf", {{{"$ref", "#"}}}}})), ElementsAre("config_schema"));
    // Secrets must be top-level strings, where they are sealed.
    EXPECT_THAT(
        FieldErrors(publish(json::parse(
            R"({"properties": {"smtp": {"type": "object", "properties": {"password": {"type": "string", "writeOnly": true}}}}})"))),
        ElementsAre("config_schema.properties.smtp.properties.password"));
    EXPECT_THAT(FieldErrors(publish(json::parse(R"({"properties": {"pin": {"type": "integer", "writeOnly": true}}})"))),
                ElementsAre("config_schema.properties.pin.type"));
    // A huge schema (under the body limit) is refused as too large.
    json huge = {{"type", "object"}, {"properties", json::object()}};
    for (int i = 0; i < 3000; ++i) huge["properties"]["field_" + std::to_string(i)] = {{"type", "string"}};
    const auto too_large = publish(huge);
    EXPECT_THAT(FieldErrors(too_large), ElementsAre("config_schema")) << too_large.body.substr(0, 300);

    // The other fields.
    const auto semver =
        http_.Post(Url("/plugins"), json{{"key", Unique("semver")}, {"name", "S"}, {"version", "v1.0"}}, As(a_owner_));
    EXPECT_THAT(FieldErrors(semver), ElementsAre("version"));
    EXPECT_THAT(FieldErrors(http_.Post(Url("/plugins"), json{{"key", "available"}, {"name", "A"}, {"version", "1.0.0"}},
                                       As(a_owner_))),
                ElementsAre("key"));
    EXPECT_THAT(FieldErrors(http_.Post(Url("/plugins"),
                                       json{{"key", "Has Spaces"}, {"name", "A"}, {"version", "1.0.0"}}, As(a_owner_))),
                ElementsAre("key"));
    const std::string key = Unique("taken");
    Publish(key);
    const auto taken =
        http_.Post(Url("/plugins"), json{{"key", key}, {"name", "Again"}, {"version", "2.0.0"}}, As(a_owner_));
    EXPECT_EQ(taken.status, 409) << taken.body;
    // An update is checked the same way and changes nothing when refused.
    EXPECT_EQ(http_.Put(Url("/plugins/" + key), json{{"config_schema", {{"type", 7}}}}, As(a_owner_)).status, 422);
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(a_owner_)).Json()["config_schema"], WeatherSchema());
}

TEST_F(Plugins, ConfigurationIsValidatedDefaultedAndItsSecretsSealed) {
    const std::string key = Unique("forecast");
    Publish(key);
    const std::string secret = "wx_live_" + std::string("Zq7") + "9f81c2d4e6a8b0c3";
    const std::string password = "hk-" + std::string("pw") + "-71c2e9";  // under 16: nothing of it shown

    // Invalid: every problem at once, each on its field.
    const auto invalid =
        Configure(key, {{"city", "X"}, {"units", "kelvin"}, {"retries", "three"}, {"extra", 1}}, a_owner_);
    ASSERT_EQ(invalid.status, 422) << invalid.body;
    EXPECT_TRUE(IsProblem(invalid));
    EXPECT_THAT(FieldErrors(invalid),
                UnorderedElementsAre("config.api_key", "config.city", "config.units", "config.retries", "config.extra"))
        << invalid.body;
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(a_owner_)).status, 404);

    // Valid: the defaults are filled in, the secrets masked.
    const auto valid = Configure(
        key, {{"api_key", secret}, {"webhook_password", password}, {"city", "New York"}, {"display", json::object()}},
        a_owner_);
    ASSERT_EQ(valid.status, 200) << valid.body;
    const json config = valid.Json()["config"];
    EXPECT_EQ(config["units"], "metric");
    EXPECT_EQ(config["retries"], 3);
    EXPECT_EQ(config["display"], json::parse(R"({"theme": "light"})"));
    EXPECT_EQ(config["city"], "New York");
    EXPECT_EQ(config["api_key"], "wx_live_" + kEllipsis + "b0c3");
    EXPECT_EQ(config["webhook_password"], kEllipsis);  // short: nothing of it shown
    EXPECT_THAT(valid.Json()["secret_fields"], UnorderedElementsAre("api_key", "webhook_password"));
    EXPECT_TRUE(valid.Json()["is_enabled"].get<bool>());
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(a_owner_)).Json()["config"], config);

    // A configure that omits a secret, or sends it back masked, keeps it; a mask that does not match is refused.
    const auto partial = Configure(key, {{"retries", 5}, {"api_key", config["api_key"]}}, a_owner_);
    ASSERT_EQ(partial.status, 200) << partial.body;
    EXPECT_EQ(partial.Json()["config"]["api_key"], config["api_key"]);
    EXPECT_EQ(partial.Json()["config"]["webhook_password"], kEllipsis);
    EXPECT_EQ(partial.Json()["config"]["retries"], 5);
    const auto wrong_mask = Configure(key, {{"api_key", "wx_live_" + kEllipsis + "0000"}}, a_owner_);
    EXPECT_THAT(FieldErrors(wrong_mask), ElementsAre("config.api_key"));
    // null removes a field; the required secret cannot be removed.
    EXPECT_THAT(FieldErrors(Configure(key, {{"api_key", nullptr}}, a_owner_)), ElementsAre("config.api_key"));

    // Stored sealed: neither the table nor (SQLite) the database files hold the secrets.
    const std::string table = StoredTableText(*server_, "plugin_configs");
    EXPECT_EQ(table.find(secret), std::string::npos) << table;
    EXPECT_EQ(table.find(password), std::string::npos) << table;
    EXPECT_NE(table.find("kv1:"), std::string::npos) << table;
    EXPECT_NE(table.find("New York"), std::string::npos) << table;
    if (!server_->uses_postgres()) {
        const std::string files = SqliteFiles();
        EXPECT_GT(files.size(), 0U);
        EXPECT_EQ(files.find(secret), std::string::npos);
        EXPECT_EQ(files.find(password), std::string::npos);
    }
    // Nor do the audit log, the events or the server's log lines.
    const std::string audit = http_.Get(Url("/audit-logs?limit=200"), As(a_owner_)).body;
    const std::string events = http_.Get(Url("/events?limit=200"), As(a_owner_)).body;
    for (const std::string* text : {&audit, &events}) {
        EXPECT_EQ(text->find(secret), std::string::npos) << *text;
        EXPECT_EQ(text->find(password), std::string::npos) << *text;
    }
    EXPECT_EQ(server_->Output().find(secret), std::string::npos);
    EXPECT_EQ(server_->Output().find(password), std::string::npos);
    const auto seen = Events(key);
    ASSERT_GE(seen.size(), 3U);
    EXPECT_EQ(seen[1].first, "plugin.configured");
    EXPECT_EQ(seen[1].second["config"]["api_key"], config["api_key"]);
    EXPECT_EQ(seen[2].first, "plugin.enabled");
    EXPECT_EQ(seen[3].first, "plugin.configured");
    EXPECT_THAT(seen[3].second["changed_fields"], ElementsAre("retries"));
    const auto rows = http_.Get(Url("/audit-logs?entity_type=plugin&entity_id=" + key), As(a_owner_)).Json()["data"];
    ASSERT_GE(rows.size(), 2U);
    EXPECT_EQ(rows[0]["action"], "plugins.configure");
    EXPECT_EQ(rows[0]["changes"]["config_fields"], json::array({"retries"}));
}

TEST_F(Plugins, ToggleIsIdempotentAndTheEnabledListFollowsIt) {
    const std::string key = Unique("toggled");
    Publish(key);
    const auto enabled_keys = [&](const std::string& token) {
        std::vector<std::string> keys;
        const json listed = http_.Get(Url("/plugins/tenant/enabled"), As(token)).Json();
        for (const auto& entry : listed["data"]) keys.push_back(entry["plugin"]["key"]);
        return keys;
    };
    // Enabling a plugin never configured needs its required fields.
    const auto unconfigured = Toggle(key, true, a_owner_);
    EXPECT_THAT(FieldErrors(unconfigured), UnorderedElementsAre("config.api_key", "config.city"));
    // Disabling one never configured changes nothing.
    const auto noop = Toggle(key, false, a_owner_);
    ASSERT_EQ(noop.status, 200) << noop.body;
    EXPECT_FALSE(noop.Json()["configured"].get<bool>());

    ASSERT_EQ(Configure(key, {{"api_key", "k-0123456789abcdef"}, {"city", "Lima"}}, a_owner_).status, 200);
    EXPECT_THAT(enabled_keys(a_owner_), ::testing::Contains(key));
    for (int i = 0; i < 2; ++i) {
        const auto off = Toggle(key, false, a_owner_);
        ASSERT_EQ(off.status, 200) << off.body;
        EXPECT_FALSE(off.Json()["is_enabled"].get<bool>());
    }
    EXPECT_THAT(enabled_keys(a_owner_), ::testing::Not(::testing::Contains(key)));
    for (int i = 0; i < 2; ++i) ASSERT_EQ(Toggle(key, true, a_owner_).status, 200);
    const json enabled = http_.Get(Url("/plugins/tenant/enabled"), As(a_owner_)).Json();
    bool found = false;
    for (const auto& entry : enabled["data"]) {
        if (entry["plugin"]["key"] != key) continue;
        found = true;
        EXPECT_EQ(entry["config"]["city"], "Lima");
        EXPECT_EQ(entry["config"]["api_key"], kEllipsis + "cdef");
    }
    EXPECT_TRUE(found) << enabled.dump();
    // One event per change of state, none for a repeat.
    EXPECT_THAT(EventTypes(key), ElementsAre("plugin.installed", "plugin.configured", "plugin.enabled",
                                             "plugin.disabled", "plugin.enabled"));

    // A plugin the platform disabled is neither listed nor enabled for tenants, but keeps their configurations.
    ASSERT_EQ(http_.Put(Url("/plugins/" + key), json{{"is_enabled", false}}, As(a_owner_)).status, 200);
    EXPECT_THAT(enabled_keys(a_owner_), ::testing::Not(::testing::Contains(key)));
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(a_owner_)).status, 200);  // the platform administrator's view
    EXPECT_EQ(http_.Get(Url("/plugins/available?include_disabled=true"), As(b_owner_)).status, 403);
    EXPECT_EQ(Toggle(key, true, a_owner_).status, 404);
    ASSERT_EQ(http_.Put(Url("/plugins/" + key), json{{"is_enabled", true}}, As(a_owner_)).status, 200);
    EXPECT_THAT(enabled_keys(a_owner_), ::testing::Contains(key));
}

TEST_F(Plugins, OneTenantsConfigurationIsInvisibleToAnother) {
    const std::string key = Unique("isolated");
    Publish(key);
    const std::string a_secret = "a-only-" + std::string("4f9d2c7e1b3a5d8f");
    ASSERT_EQ(Configure(key, {{"api_key", a_secret}, {"city", "Accra"}}, a_owner_).status, 200);

    // B guesses the key: nothing configured, nothing of A's shown, anywhere.
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(b_owner_)).status, 404);
    const auto b_list = http_.Get(Url("/plugins/tenant/list"), As(b_owner_));
    ASSERT_EQ(b_list.status, 200) << b_list.body;
    bool listed = false;
    const json b_entries = b_list.Json();
    for (const auto& entry : b_entries["data"]) {
        if (entry["plugin"]["key"] != key) continue;
        listed = true;
        EXPECT_FALSE(entry["configured"].get<bool>());
        EXPECT_FALSE(entry["is_enabled"].get<bool>());
        EXPECT_TRUE(entry["config"].is_null());
    }
    EXPECT_TRUE(listed);
    for (const auto& path : {"/plugins/tenant/list", "/plugins/tenant/enabled", "/plugins/available"}) {
        const std::string body = http_.Get(Url(path), As(b_owner_)).body;
        EXPECT_EQ(body.find("Accra"), std::string::npos) << path;
        EXPECT_EQ(body.find(a_secret.substr(a_secret.size() - 4)), std::string::npos) << path;
    }
    // B naming A's tenant is answered like a tenant that does not exist.
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(b_owner_, "demo")).status, 404);
    EXPECT_EQ(Configure(key, {{"city", "Hijack"}}, b_owner_, "demo").status, 404);

    // B's own configuration is its own; A's is unchanged.
    const auto b_config = Configure(key, {{"api_key", "b-own-0123456789ab"}, {"city", "Bergen"}}, b_owner_);
    ASSERT_EQ(b_config.status, 200) << b_config.body;
    ASSERT_EQ(Toggle(key, false, b_owner_).status, 200);
    const json a_config = http_.Get(Url("/plugins/tenant/" + key + "/config"), As(a_owner_)).Json();
    EXPECT_EQ(a_config["config"]["city"], "Accra");
    EXPECT_TRUE(a_config["is_enabled"].get<bool>());
    // Each tenant's events stay in it.
    EXPECT_THAT(EventTypes(key, b_owner_), ElementsAre("plugin.configured", "plugin.enabled", "plugin.disabled"));
    EXPECT_THAT(EventTypes(key), ElementsAre("plugin.installed", "plugin.configured", "plugin.enabled"));
}

TEST_F(Plugins, PermissionsSeparatePlatformAdministratorsTenantAdminsAndViewers) {
    const std::string key = Unique("guarded");
    Publish(key);
    const std::string suffix = std::to_string(std::rand());
    AddMember(a_owner_, "", "plugin-admin-" + suffix + "@demo.test", "admin");
    AddMember(a_owner_, "", "plugin-viewer-" + suffix + "@demo.test", "viewer");
    const std::string admin = Login("plugin-admin-" + suffix + "@demo.test", kMemberPassword);
    const std::string viewer = Login("plugin-viewer-" + suffix + "@demo.test", kMemberPassword);

    // A tenant admin is no platform administrator: no publishing, changing or removing plugins.
    const auto create =
        http_.Post(Url("/plugins"), json{{"key", Unique("rogue")}, {"name", "R"}, {"version", "1.0.0"}}, As(admin));
    EXPECT_EQ(create.status, 403) << create.body;
    EXPECT_TRUE(IsProblem(create));
    EXPECT_EQ(http_.Put(Url("/plugins/" + key), json{{"name", "Renamed"}}, As(admin)).status, 403);
    EXPECT_EQ(http_.Delete(Url("/plugins/" + key), As(admin)).status, 403);
    EXPECT_EQ(http_.Delete(Url("/plugins/" + key), As(b_owner_)).status, 403);
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(admin)).Json()["name"], "Weather " + key);
    // …but configures and toggles for the tenant.
    ASSERT_EQ(Configure(key, {{"api_key", "admin-0123456789abc"}, {"city", "Quito"}}, admin).status, 200);
    ASSERT_EQ(Toggle(key, false, admin).status, 200);

    // A viewer reads, and neither configures nor toggles.
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/list"), As(viewer)).status, 200);
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(viewer)).status, 200);
    EXPECT_EQ(Configure(key, {{"city", "Lisbon"}}, viewer).status, 403);
    EXPECT_EQ(Toggle(key, true, viewer).status, 403);

    // A token narrowed to plugins:read cannot toggle; one with plugins:update can.
    const auto narrow =
        http_.Post(Url("/tokens"), json{{"name", "read-only"}, {"permissions", {"plugins:read"}}}, As(a_owner_));
    ASSERT_EQ(narrow.status, 201) << narrow.body;
    EXPECT_EQ(Toggle(key, true, narrow.Json()["token"]).status, 403);
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/enabled"), As(narrow.Json()["token"])).status, 200);
    // A platform administrator's token without plugins:create cannot publish either.
    EXPECT_EQ(http_
                  .Post(Url("/plugins"), json{{"key", Unique("narrow")}, {"name", "N"}, {"version", "1.0.0"}},
                        As(narrow.Json()["token"]))
                  .status,
              403);
    const auto updater =
        http_.Post(Url("/tokens"), json{{"name", "toggler"}, {"permissions", {"plugins:update"}}}, As(a_owner_));
    ASSERT_EQ(updater.status, 201) << updater.body;
    EXPECT_EQ(Toggle(key, true, updater.Json()["token"]).status, 200);
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + key + "/config"), As(a_owner_)).Json()["is_enabled"], true);
}

TEST_F(Plugins, BadInputIsAProblemDocumentNeverACrash) {
    const std::string key = Unique("sturdy");
    Publish(key);
    const std::string configure = Url("/plugins/tenant/" + key + "/configure");
    for (const std::string body :
         {"{", "{\"config\": }", "\xff\xfe", "[]", "null", "{\"config\": [1,2]}", "{\"config\": \"text\"}",
          "{\"config\": {}, \"is_enabled\": \"yes\"}", "{\"config\": {}, \"unknown\": 1}"}) {
        SCOPED_TRACE(body);
        const auto r = http_.Post(configure, body, As(a_owner_));
        EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << " " << r.body;
        EXPECT_TRUE(IsProblem(r)) << r.body;
    }
    for (const std::string body : {"{}", "{\"enabled\": 1}", "{\"enabled\": null}", "not json"}) {
        SCOPED_TRACE(body);
        const auto r = http_.Post(Url("/plugins/tenant/" + key + "/toggle"), body, As(a_owner_));
        EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << " " << r.body;
        EXPECT_TRUE(IsProblem(r)) << r.body;
    }
    // Wrong types inside the configuration are field errors.
    EXPECT_THAT(FieldErrors(Configure(key, {{"api_key", 12345}, {"city", json::array()}, {"retries", 2.5}}, a_owner_)),
                UnorderedElementsAre("config.api_key", "config.city", "config.retries"));
    // A long value against a pattern is refused, not matched by a regular expression that recurses per character.
    EXPECT_THAT(
        FieldErrors(Configure(key, {{"api_key", "k-0123456789abcdef"}, {"city", std::string(200000, 'a')}}, a_owner_)),
        ElementsAre("config.city"));
    // Bodies beyond the limit, and nesting beyond 32 levels.
    const auto huge = http_.Post(configure, json{{"config", {{"city", std::string(2 << 20, 'a')}}}}, As(a_owner_));
    EXPECT_EQ(huge.status, 413) << huge.body.substr(0, 200);
    std::string deep = "{\"config\": ";
    for (int i = 0; i < 40; ++i) deep += "{\"d\": ";
    deep += "1" + std::string(41, '}');
    EXPECT_EQ(http_.Post(configure, deep, As(a_owner_)).status, 400);
    // Unknown keys are 404 on every route that names one.
    const std::string unknown = "no-such-plugin";
    EXPECT_EQ(http_.Get(Url("/plugins/" + unknown), As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Put(Url("/plugins/" + unknown), json{{"name", "X"}}, As(a_owner_)).status, 404);
    EXPECT_EQ(http_.Delete(Url("/plugins/" + unknown), As(a_owner_)).status, 404);
    EXPECT_EQ(Configure(unknown, {{"city", "Rome"}}, a_owner_).status, 404);
    EXPECT_EQ(http_.Get(Url("/plugins/tenant/" + unknown + "/config"), As(a_owner_)).status, 404);
    const auto missing = Toggle(unknown, true, a_owner_);
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(IsProblem(missing));
    EXPECT_EQ(http_.Get(Url("/plugins/%2e%2e"), As(a_owner_)).status, 404);
    // The server is still there.
    EXPECT_EQ(http_.Get(Url("/plugins/" + key), As(a_owner_)).status, 200);
}

// kiln admin rotate-master-key reseals plugin secrets with the others: after a restart on the new key the
// configuration still opens (its masked form is computed from the opened secret) and nothing names the old key.
TEST_F(Plugins, RotatingTheMasterKeyKeepsPluginSecrets) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}});
    server.Start();
    HttpClient http;
    const std::string api = server.base_url() + "/api/v1";
    const auto login =
        http.Post(api + "/auth/login", json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
    const HeaderList owner = As(login.Json()["token"]);
    ASSERT_EQ(
        http.Post(
                api + "/plugins",
                json{{"key", "rotated"}, {"name", "Rotated"}, {"version", "1.0.0"}, {"config_schema", WeatherSchema()}},
                owner)
            .status,
        201);
    const std::string secret = "rot_live_" + std::string("9c1e5a7b3d2f4e6a");
    const auto configured = http.Post(api + "/plugins/tenant/rotated/configure",
                                      json{{"config", {{"api_key", secret}, {"city", "Turin"}}}}, owner);
    ASSERT_EQ(configured.status, 200) << configured.body;
    const json before = configured.Json()["config"];
    const auto sealed = [&server] {
        return QueryStored(server, "SELECT sealed_secrets FROM plugin_configs").at(0).at(0);
    };
    const std::string sealed_before = sealed();

    ASSERT_EQ(server.Stop(), 0);
    std::string out;
    ASSERT_EQ(server.Cli({"admin", "--data-dir", server.data_dir(), "rotate-master-key"}, &out), 0) << out;
    EXPECT_NE(out.find(" 1 plugin configuration secrets"), std::string::npos) << out;
    const std::string sealed_after = sealed();
    EXPECT_NE(sealed_after, sealed_before);
    EXPECT_EQ(sealed_after.find(secret), std::string::npos);
    const auto key_id = [](const std::string& text) { return text.substr(text.find("kv1:") + 4, 8); };
    EXPECT_NE(key_id(sealed_after), key_id(sealed_before));

    server.Start();
    const auto after = http.Get(api + "/plugins/tenant/rotated/config", owner);
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.Json()["config"], before);
    EXPECT_EQ(before["api_key"], "rot_" + kEllipsis + "4e6a");  // the prefix shown ends within eight characters
}

TEST_F(Plugins, EveryRouteIsInTheOpenApiDocument) {
    const json doc = http_.Get(server_->base_url() + "/api/openapi.json").Json();
    const std::vector<std::pair<std::string, std::string>> routes = {{"/api/v1/plugins", "post"},
                                                                     {"/api/v1/plugins/available", "get"},
                                                                     {"/api/v1/plugins/{key}", "get"},
                                                                     {"/api/v1/plugins/{key}", "put"},
                                                                     {"/api/v1/plugins/{key}", "delete"},
                                                                     {"/api/v1/plugins/tenant/list", "get"},
                                                                     {"/api/v1/plugins/tenant/{key}/configure", "post"},
                                                                     {"/api/v1/plugins/tenant/{key}/config", "get"},
                                                                     {"/api/v1/plugins/tenant/{key}/toggle", "post"},
                                                                     {"/api/v1/plugins/tenant/enabled", "get"}};
    for (const auto& [path, method] : routes) {
        SCOPED_TRACE(method + " " + path);
        ASSERT_TRUE(doc["paths"].contains(path));
        EXPECT_TRUE(doc["paths"][path].contains(method));
    }
    const json events = http_.Get(Url("/events/types"), As(a_owner_)).Json();
    std::vector<std::string> names;
    for (const auto& type : events["data"])
        if (type["name"].get<std::string>().rfind("plugin.", 0) == 0) names.push_back(type["name"]);
    EXPECT_THAT(names, UnorderedElementsAre("plugin.installed", "plugin.updated", "plugin.deleted", "plugin.configured",
                                            "plugin.enabled", "plugin.disabled"));
}

}  // namespace
}  // namespace kiln::testing
