// The integrations API and the credential vault through the real binary: the types and their
// configuration schemas; saving checked field by field, with nothing written on error; secrets
// shown masked everywhere, kept when sent back masked, replaced or removed on request; one default
// per capability; the circuit breaker and failed connectivity tests as GET shows them; tenant
// isolation; and secrets that never reach the database, the log or a stored error in clear, not
// even across `kiln admin rotate-master-key`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"
#include "fake_providers/fake_docusign.hpp"
#include "fake_providers/fake_stripe.hpp"
#include "http_receiver.hpp"
#include "standard_webhooks_verifier.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using fakeutil::RandomAlnum;
using fakeutil::RandomHex;

const std::string kEllipsis = "\xE2\x80\xA6";  // U+2026, what a mask shows in place of the secret

const std::set<std::string> kTypes = {"stripe", "razorpay", "sendgrid", "ses",
                                      "twilio", "shopify",  "docusign", "custom"};

/// How the API must show a secret: "sk_test_…4242" (its prefix up to the last `_` or `.` within the
/// first eight characters, then its last four), or only "…" when it is shorter than 16 characters.
std::string Masked(const std::string& secret) {
    if (secret.size() < 16) return kEllipsis;
    size_t prefix = 0;
    for (size_t i = 0; i < 8; ++i)
        if (secret[i] == '_' || secret[i] == '.') prefix = i + 1;
    return secret.substr(0, prefix) + kEllipsis + secret.substr(secret.size() - 4);
}

std::string Upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string Guid() {
    const std::string hex = RandomHex(32);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

/// A valid test-mode configuration of `type`, with a fresh, distinctive value in every secret field
/// (each matching its field's pattern). Only a custom integration names its host (`base_url`); the
/// others are pointed at a local stand-in by the operator (PointAt / PointIntegrationAt).
json ConfigFor(const std::string& type, const std::string& base_url, const std::string& private_key_pem) {
    if (type == "stripe")
        return {{"api_key", "sk_test_" + RandomAlnum(24)},
                {"webhook_secret", "whsec_" + RandomAlnum(32)},
                {"previous_webhook_secret", "whsec_" + RandomAlnum(32)}};
    if (type == "razorpay")
        return {{"key_id", "rzp_test_" + RandomAlnum(14)},
                {"key_secret", RandomAlnum(32)},
                {"webhook_secret", RandomAlnum(32)},
                {"previous_webhook_secret", RandomAlnum(32)}};
    if (type == "sendgrid")
        return {{"api_key", "SG." + RandomAlnum(22) + "." + RandomAlnum(43)},
                {"from_email", "billing@kiln.test"},
                {"from_name", "Kiln Billing"}};
    if (type == "ses")
        return {{"access_key_id", "AKIA" + Upper(RandomHex(16))},
                {"secret_access_key", RandomAlnum(40)},
                {"session_token", RandomAlnum(64)},
                {"region", "eu-west-1"},
                {"from_email", "billing@kiln.test"}};
    if (type == "twilio")
        return {{"account_sid", "AC" + RandomHex(32)},
                {"auth_token", RandomHex(32)},
                {"previous_auth_token", RandomHex(32)},
                {"from_number", "+15005550006"}};
    if (type == "shopify")
        return {{"shop_domain", "kiln-test.myshopify.com"},
                {"access_token", "shpat_" + RandomHex(32)},
                {"webhook_secret", RandomHex(32)},
                {"previous_webhook_secret", RandomHex(32)}};
    if (type == "docusign")
        return {{"integration_key", Guid()},
                {"user_id", Guid()},
                {"account_id", Guid()},
                {"private_key", private_key_pem},
                {"access_token", RandomAlnum(48)},
                {"connect_secret", RandomAlnum(32)},
                {"previous_connect_secret", RandomAlnum(32)}};
    if (type == "custom")
        return {{"base_url", base_url},
                {"allowed_paths", {"/v1/ping"}},
                {"auth_header_value", "Bearer " + RandomAlnum(40)}};
    throw std::invalid_argument("no configuration for " + type);
}

/// `config` without the fields that `types` (GET /integrations/types) does not list for `type`.
json Known(json config, const std::string& type, const json& types) {
    for (const auto& spec : types["data"])
        if (spec["type"] == type)
            for (auto it = config.begin(); it != config.end();)
                it = spec["config_schema"]["properties"].contains(it.key()) ? std::next(it) : config.erase(it);
    return config;
}

/// What would betray a secret stored or logged in clear: the whole value (when it is one line),
/// each long line of a multi-line one (a PEM's base64 body: JSON keeps it with escaped newlines),
/// and two chunks that no mask shows (past an eight-character prefix, before the last four), so
/// that a copy split by a database page boundary is still found by one of them.
std::vector<std::string> Needles(const std::string& secret) {
    std::vector<std::string> needles;
    if (secret.find('\n') == std::string::npos) needles.push_back(secret);
    std::istringstream lines(secret);
    for (std::string line; std::getline(lines, line);)
        if (line.size() >= 32 && line.find("-----") == std::string::npos) needles.push_back(line);
    if (secret.size() >= 24) {
        needles.push_back(secret.substr(8, 10));
        needles.push_back(secret.substr(secret.size() - 14, 10));
    }
    return needles;
}

/// The first needle of any secret that `text` contains, or "" when it holds none.
std::string Betrayed(const std::string& text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets)
        for (const auto& needle : Needles(secret))
            if (text.find(needle) != std::string::npos) return needle;
    return "";
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// Everything the server's database holds, as text to search: on SQLite the bytes of every file of
/// the data directory but the key files (the database, its -wal and -shm), by file name; on
/// PostgreSQL every row of every table, by table name.
std::map<std::string, std::string> StoredData(const KilnProcess& server) {
    std::map<std::string, std::string> stored;
    if (!server.uses_postgres()) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(server.data_dir())) {
            const std::string name = entry.path().filename().string();
            if (entry.is_regular_file() && !name.starts_with("master.key")) stored[name] = ReadFile(entry.path());
        }
        return stored;
    }
    pqxx::connection connection(server.database_url());
    pqxx::work tx(connection);
    tx.exec("SET kiln.bypass_rls = 'on'");  // the tables force row-level security on their owner too
    const auto tables = tx.exec(
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
    for (const auto& table : tables) {
        const auto name = table[0].as<std::string>();
        stored[name] =
            tx.exec("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM " + name + " t")[0][0].as<std::string>();
    }
    // Also bytea columns as hex would hide nothing: no secret column is bytea, which the integrations row shows.
    stored["integrations.config"] =
        tx.exec("SELECT coalesce(string_agg(config::text, E'\\n'), '') FROM integrations")[0][0].as<std::string>();
    return stored;
}

/// The `field`s of a 422 problem's errors, or a description of why the response is not one.
std::vector<std::string> ProblemFields(const HttpResponse& response) {
    if (response.status != 422 || !response.Header("Content-Type").starts_with("application/problem+json"))
        return {"(not a 422 problem: HTTP " + std::to_string(response.status) + " " + response.body + ")"};
    std::vector<std::string> fields;
    for (const auto& e : response.Json().value("errors", json::array())) fields.push_back(e.value("field", ""));
    return fields;
}

bool Contains(const std::vector<std::string>& items, const std::string& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

class Integrations : public ApiTest {
  protected:
    HttpResponse Create(const json& body, const std::string& token = a_owner_) {
        return http_.Post(Url("/integrations"), body, As(token));
    }
    json Created(const json& body) {
        const auto response = Create(body);
        EXPECT_EQ(response.status, 201) << response.body;
        return response.status == 201 ? response.Json() : json::object();
    }
    /// A Stripe integration whose calls the operator sends to `base_url` (a local stand-in).
    json Stripe(const std::string& api_key, const std::string& base_url, const json& extra = json::object()) {
        json config = {{"api_key", api_key}};
        config.update(extra);
        const json created = Created({{"type", "stripe"}, {"name", Unique("stripe")}, {"config", config}});
        if (created.contains("id")) PointAt(created["id"], base_url);
        return created;
    }
    json Get(const std::string& id) {
        const auto response = http_.Get(Url("/integrations/" + id), As(a_owner_));
        EXPECT_EQ(response.status, 200) << response.body;
        return response.status == 200 ? response.Json() : json::object();
    }
    HttpResponse Put(const std::string& id, const json& body, const std::string& token = a_owner_) {
        return http_.Put(Url("/integrations/" + id), body, As(token));
    }
    /// POST /integrations/{id}/test, which answers 200 whatever the provider did.
    json Test(const std::string& id) {
        const auto response = http_.Post(Url("/integrations/" + id + "/test"), "", As(a_owner_));
        EXPECT_EQ(response.status, 200) << response.body;
        return response.status == 200 ? response.Json() : json::object();
    }
    /// Every integration the tenant has, across pages.
    json All(const std::string& token = a_owner_) {
        json all = json::array();
        std::string cursor;
        for (int page = 0; page < 100; ++page) {
            const auto response =
                http_.Get(Url("/integrations?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor)), As(token));
            EXPECT_EQ(response.status, 200) << response.body;
            const json body = response.Json();
            for (const auto& item : body["data"]) all.push_back(item);
            if (!body["next_cursor"].is_string()) break;
            cursor = body["next_cursor"];
        }
        return all;
    }
    void Remove(const std::string& id) {
        EXPECT_EQ(http_.Delete(Url("/integrations/" + id), As(a_owner_)).status, 204);
    }
    json Types() { return http_.Get(Url("/integrations/types"), As(a_owner_)).Json(); }
    /// A valid configuration of `type` (see ConfigFor) with the fields the server knows.
    json ValidConfig(const std::string& type, const std::string& base_url, const std::string& private_key_pem) {
        return Known(ConfigFor(type, base_url, private_key_pem), type, Types());
    }
    /// The secret fields of every type, as GET /integrations/types lists them.
    std::map<std::string, std::vector<std::string>> SecretFields() {
        std::map<std::string, std::vector<std::string>> fields;
        const json types = Types();
        for (const auto& type : types["data"])
            fields[type["type"]] = type["secret_fields"].get<std::vector<std::string>>();
        return fields;
    }
    static std::string Unique(const std::string& stem) {
        static int counter = 0;
        return stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    }
};

TEST_F(Integrations, TypesListEveryTypeWithItsConfigSchema) {
    const auto response = http_.Get(Url("/integrations/types"), As(a_owner_));
    ASSERT_EQ(response.status, 200) << response.body;
    const json body = response.Json();
    std::map<std::string, json> types;
    for (const auto& type : body["data"]) types[type["type"]] = type;
    std::set<std::string> names;
    for (const auto& [name, type] : types) names.insert(name);
    EXPECT_EQ(names, kTypes);

    const std::map<std::string, std::string> capabilities = {
        {"stripe", "payments"}, {"razorpay", "payments"}, {"sendgrid", "email"},      {"ses", "email"},
        {"twilio", "sms"},      {"shopify", "commerce"},  {"docusign", "signatures"}, {"custom", "http"}};
    for (const auto& [name, type] : types) {
        SCOPED_TRACE(name);
        EXPECT_EQ(type["capability"], capabilities.at(name));
        EXPECT_TRUE(type["title"].is_string() && !type["title"].get<std::string>().empty());
        const json& schema = type["config_schema"];
        EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        EXPECT_EQ(schema["type"], "object");
        EXPECT_EQ(schema["additionalProperties"], false);
        ASSERT_TRUE(schema["properties"].is_object());
        ASSERT_TRUE(schema["required"].is_array());
        EXPECT_FALSE(schema["required"].empty());
        for (const auto& field : schema["required"]) EXPECT_TRUE(schema["properties"].contains(field)) << field;
        // The secret fields are exactly the writeOnly ones, all strings; every type has some.
        std::set<std::string> write_only;
        for (const auto& [field, property] : schema["properties"].items()) {
            if (property.value("writeOnly", false)) {
                write_only.insert(field);
                EXPECT_EQ(property["type"], "string") << field;
            }
            // A default is a valid value of its field.
            if (property.contains("default") && property.contains("pattern")) {
                EXPECT_TRUE(std::regex_search(property["default"].get<std::string>(),
                                              std::regex(property["pattern"].get<std::string>())))
                    << field;
            }
        }
        const auto listed = type["secret_fields"].get<std::vector<std::string>>();
        EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), write_only);
        EXPECT_FALSE(write_only.empty());
        // Every type may be paced; only a custom integration names its host (the others' are pinned).
        for (const char* common : {"rate_limit_per_second", "timeout_seconds"})
            EXPECT_TRUE(schema["properties"].contains(common)) << common;
        EXPECT_EQ(schema["properties"].contains("base_url"), name == "custom") << name;
        EXPECT_FALSE(schema["properties"].contains("oauth_base_url"));
        // The endpoint fields are exactly the x-endpoint ones.
        std::set<std::string> endpoint;
        for (const auto& [field, property] : schema["properties"].items())
            if (property.value("x-endpoint", false)) endpoint.insert(field);
        const auto endpoints = type["endpoint_fields"].get<std::vector<std::string>>();
        EXPECT_EQ(std::set<std::string>(endpoints.begin(), endpoints.end()), endpoint);
        EXPECT_EQ(schema["properties"]["timeout_seconds"]["default"], 10);
    }

    const json& stripe = types["stripe"]["config_schema"];
    EXPECT_EQ(stripe["required"], json({"api_key"}));
    EXPECT_EQ(types["stripe"]["secret_fields"], json({"api_key", "previous_webhook_secret", "webhook_secret"}));
    EXPECT_TRUE(stripe["properties"]["api_key"].contains("pattern"));
    EXPECT_EQ(stripe["properties"]["api_version"]["default"], "2024-06-20");
    EXPECT_FALSE(stripe["properties"]["api_version"].value("writeOnly", false));
    EXPECT_EQ(types["ses"]["config_schema"]["properties"]["region"]["default"], "us-east-1");
    EXPECT_FALSE(types["ses"]["config_schema"]["properties"]["access_key_id"].value("writeOnly", false));
    EXPECT_EQ(types["twilio"]["secret_fields"][0], "auth_token");
    EXPECT_EQ(types["twilio"]["config_schema"]["required"], json({"account_sid", "auth_token"}));
    EXPECT_EQ(types["shopify"]["config_schema"]["properties"]["currency"]["default"], "USD");
    EXPECT_EQ(types["docusign"]["config_schema"]["required"], json({"account_id"}));
    EXPECT_EQ(types["custom"]["config_schema"]["properties"]["auth_header_name"]["default"], "Authorization");
    EXPECT_EQ(types["custom"]["config_schema"]["required"], json({"base_url", "allowed_paths"}));
    EXPECT_EQ(types["custom"]["endpoint_fields"], json({"base_url"}));
    EXPECT_EQ(types["shopify"]["endpoint_fields"], json({"shop_domain"}));
    EXPECT_EQ(types["ses"]["endpoint_fields"], json({"region"}));
    EXPECT_EQ(types["stripe"]["endpoint_fields"], json::array());
}

TEST_F(Integrations, EveryTypeIsSavedWithItsSecretsShownMaskedNeverInClear) {
    const auto secret_fields = SecretFields();
    const std::string pem = FakeDocuSign::GenerateRsaKeyPair().first;
    HttpReceiver nowhere;                 // never called: saving does not reach the provider
    std::map<std::string, json> created;  // by id
    std::vector<std::string> secrets;
    for (const auto& type : kTypes) {
        SCOPED_TRACE(type);
        const json config = ValidConfig(type, nowhere.Url(""), pem);
        for (const auto& field : secret_fields.at(type)) secrets.push_back(config.at(field));
        const auto response = Create({{"type", type}, {"name", Unique(type)}, {"config", config}});
        ASSERT_EQ(response.status, 201) << response.body;
        EXPECT_EQ(Betrayed(response.body, secrets), "");
        const json integration = response.Json();
        EXPECT_EQ(integration["type"], type);
        EXPECT_EQ(integration["mode"], "test");
        EXPECT_EQ(integration["status"], "active");
        EXPECT_EQ(integration["is_default"], false);
        EXPECT_TRUE(integration["last_tested_at"].is_null());
        EXPECT_EQ(integration["resilience"]["circuit"]["state"], "closed");
        ASSERT_EQ(integration["config"].size(), config.size()) << integration["config"];
        for (const auto& [field, value] : config.items()) {
            const bool secret = Contains(secret_fields.at(type), field);
            EXPECT_EQ(integration["config"][field], secret ? json(Masked(value)) : value) << field;
        }
        created[integration["id"]] = integration;
    }
    // The masks as a console shows them.
    for (const auto& [id, integration] : created) {
        if (integration["type"] != "stripe") continue;
        const std::string shown = integration["config"]["api_key"];
        EXPECT_TRUE(shown.starts_with("sk_test_" + kEllipsis)) << shown;
        EXPECT_EQ(shown.size(), std::string("sk_test_").size() + kEllipsis.size() + 4);
    }
    const json tiny = Created({{"type", "razorpay"},
                               {"name", Unique("tiny")},
                               {"config", {{"key_id", "rzp_test_" + RandomAlnum(10)}, {"key_secret", "tiny-secret"}}}});
    EXPECT_EQ(tiny["config"]["key_secret"], kEllipsis);  // too short to show any of it
    created[tiny["id"]] = tiny;
    // A mask never cuts a character in two: "€" is three bytes, so the last four bytes of this
    // secret start inside one.
    const json euro = Created({{"type", "custom"},
                               {"name", Unique("euro")},
                               {"config",
                                {{"base_url", nowhere.Url("")},
                                 {"allowed_paths", {"/"}},
                                 {"auth_header_value", "Token " + RandomAlnum(20) + "\u20AC\u20AC"}}}});
    EXPECT_EQ(euro["config"]["auth_header_value"], kEllipsis + "\u20AC");
    created[euro["id"]] = euro;
    // A masked value is not a secret: a copy of a shown configuration cannot make another integration.
    EXPECT_EQ(
        ProblemFields(Create({{"type", "razorpay"},
                              {"name", Unique("copy")},
                              {"config", {{"key_id", "rzp_test_" + RandomAlnum(10)}, {"key_secret", kEllipsis}}}})),
        std::vector<std::string>{"config.key_secret"});

    // GET and the list show the same, and no secret.
    for (const auto& [id, integration] : created) {
        const auto response = http_.Get(Url("/integrations/" + id), As(a_owner_));
        ASSERT_EQ(response.status, 200) << response.body;
        EXPECT_EQ(Betrayed(response.body, secrets), "");
        EXPECT_EQ(response.Json()["config"], integration["config"]);
    }
    const json all = All();
    EXPECT_EQ(Betrayed(all.dump(), secrets), "");
    size_t listed = 0;
    for (const auto& item : all)
        if (const auto it = created.find(item["id"]); it != created.end()) {
            EXPECT_EQ(item["config"], it->second["config"]);
            ++listed;
        }
    EXPECT_EQ(listed, created.size());

    for (const auto& [id, integration] : created) {
        Remove(id);
        EXPECT_EQ(http_.Get(Url("/integrations/" + id), As(a_owner_)).status, 404);
    }
}

TEST_F(Integrations, InvalidInputIsA422NamingTheFieldAndWritesNothing) {
    const size_t before = All().size();
    const std::string key = "sk_test_" + RandomAlnum(24);
    const auto stripe = [&](const json& config, const std::string& mode = "test") {
        json merged = {{"api_key", key}};
        merged.update(config);
        return json{{"type", "stripe"}, {"name", Unique("bad")}, {"mode", mode}, {"config", merged}};
    };
    const json twilio = {
        {"account_sid", "AC" + RandomHex(32)}, {"auth_token", RandomHex(32)}, {"from_number", "+15005550006"}};
    const auto with = [](json config, const json& changes) {
        config.update(changes);
        for (auto it = config.begin(); it != config.end();) it = it->is_null() ? config.erase(it) : std::next(it);
        return config;
    };
    const std::string pem = FakeDocuSign::GenerateRsaKeyPair().first;
    const json docusign = {
        {"account_id", Guid()}, {"integration_key", Guid()}, {"user_id", Guid()}, {"private_key", pem}};
    // The valid base of the cases below.
    const json base = Created(stripe(json::object()));
    const size_t valid = before + 1;

    struct Case {
        const char* what;
        json body;
        std::string field;
        std::string secret;  // a secret the body carries, which the problem must not quote
    };
    const std::string publishable = "pk_test_" + RandomAlnum(24);
    const std::string live = "sk_live_" + RandomAlnum(24);
    const std::string bad_token = "not-hex-" + RandomAlnum(24);
    const std::vector<Case> cases = {
        {"unknown type", {{"type", "paypal"}, {"name", "x"}, {"config", json::object()}}, "type", ""},
        {"unknown config field", stripe({{"colour", "blue"}}), "config.colour", ""},
        {"wrong type of a field", stripe({{"timeout_seconds", "ten"}}), "config.timeout_seconds", ""},
        {"number for a string", stripe({{"api_version", 20240620}}), "config.api_version", ""},
        {"out of range", stripe({{"timeout_seconds", 600}}), "config.timeout_seconds", ""},
        {"base_url is no Stripe field", stripe({{"base_url", "https://127.0.0.1/"}}), "config.base_url", ""},
        {"not a URL",
         {{"type", "custom"}, {"name", "x"}, {"config", {{"base_url", "ftp://127.0.0.1/"}, {"allowed_paths", {"/"}}}}},
         "config.base_url",
         ""},
        {"config not an object", {{"type", "stripe"}, {"name", "x"}, {"config", "api_key=" + key}}, "config", ""},
        {"publishable key", stripe({{"api_key", publishable}}), "config.api_key", publishable},
        {"live key in test mode", stripe({{"api_key", live}}), "config.api_key", live},
        {"test key in live mode", stripe(json::object(), "live"), "config.api_key", key},
        {"no api_key", {{"type", "stripe"}, {"name", "x"}, {"config", json::object()}}, "config.api_key", ""},
        {"twilio auth_token not 32 hex",
         {{"type", "twilio"}, {"name", "x"}, {"config", with(twilio, {{"auth_token", bad_token}})}},
         "config.auth_token",
         bad_token},
        {"twilio without a sender",
         {{"type", "twilio"}, {"name", "x"}, {"config", with(twilio, {{"from_number", nullptr}})}},
         "config.from_number",
         ""},
        {"AWS access key id",
         {{"type", "ses"},
          {"name", "x"},
          {"config",
           {{"access_key_id", "AKIA1234"}, {"secret_access_key", RandomAlnum(40)}, {"from_email", "a@kiln.test"}}}},
         "config.access_key_id",
         ""},
        {"shop domain",
         {{"type", "shopify"},
          {"name", "x"},
          {"config", {{"shop_domain", "shop.example.com"}, {"access_token", "shpat_" + RandomHex(32)}}}},
         "config.shop_domain",
         ""},
        {"private key not a PEM",
         {{"type", "docusign"},
          {"name", "x"},
          {"config", with(docusign, {{"private_key",
                                      "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"}})}},
         "config.private_key",
         ""},
        {"docusign without credentials",
         {{"type", "docusign"}, {"name", "x"}, {"config", with(docusign, {{"private_key", nullptr}})}},
         "config.private_key",
         ""},
        {"docusign JWT grant without its user",
         {{"type", "docusign"}, {"name", "x"}, {"config", with(docusign, {{"user_id", nullptr}})}},
         "config.user_id",
         ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        const auto response = Create(c.body);
        const auto fields = ProblemFields(response);
        EXPECT_TRUE(Contains(fields, c.field)) << c.body.dump() << " -> " << response.body;
        if (!c.secret.empty()) {
            EXPECT_EQ(Betrayed(response.body, {c.secret}), "") << response.body;
        }
    }
    EXPECT_EQ(All().size(), valid);

    // The valid counterparts are accepted: the cases above failed for the reason they name.
    json live_stripe = stripe({{"api_key", live}}, "live");
    std::vector<std::string> ids = {base["id"]};
    for (const json& body : {json{{"type", "twilio"}, {"name", Unique("ok")}, {"config", twilio}},
                             json{{"type", "docusign"}, {"name", Unique("ok")}, {"config", docusign}}, live_stripe})
        ids.push_back(Created(body).value("id", ""));
    EXPECT_EQ(All().size(), valid + 3);
    for (const auto& id : ids) Remove(id);
}

TEST_F(Integrations, UpdatesKeepAMaskedSecretAndReplaceOrRemoveTheOthers) {
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    const json created = Stripe(
        key, stripe.base_url(),
        {{"webhook_secret", "whsec_" + RandomAlnum(32)}, {"previous_webhook_secret", "whsec_" + RandomAlnum(32)}});
    const std::string id = created["id"];
    const std::string path = "/integrations/" + id;

    // Sent back exactly as shown (with another name): every secret is kept, as the provider sees.
    auto response = Put(id, {{"name", "renamed"}, {"config", created["config"]}});
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["name"], "renamed");
    EXPECT_EQ(response.Json()["config"], created["config"]);
    json test = Test(id);
    EXPECT_EQ(test["ok"], true) << test;
    EXPECT_TRUE(test["error"].is_null());
    EXPECT_EQ(test["integration"]["status"], "active");
    EXPECT_FALSE(test["integration"]["last_tested_at"].is_null());
    ASSERT_EQ(stripe.requests().size(), 1U);
    EXPECT_EQ(stripe.requests().back().target, "/v1/balance");
    EXPECT_EQ(stripe.requests().back().Header("Authorization"), "Bearer " + key);

    // A masked value that is not the stored secret's is refused, and changes nothing.
    for (const json& config : {json{{"api_key", "sk_test_" + kEllipsis + "9999"}},
                               json{{"webhook_secret", "whsec_" + kEllipsis + key.substr(key.size() - 4)}}}) {
        response = Put(id, {{"name", "changed"}, {"config", config}});
        EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config." + config.begin().key()}) << response.body;
    }
    json shown = Get(id);
    EXPECT_EQ(shown["name"], "renamed");
    EXPECT_EQ(shown["config"], created["config"]);
    EXPECT_EQ(Test(id)["ok"], true);

    // A new secret replaces the stored one: the provider now gets it (and refuses it).
    const std::string next = "sk_test_" + RandomAlnum(24);
    response = Put(id, {{"config", {{"api_key", next}}}});
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["config"]["api_key"], Masked(next));
    EXPECT_EQ(response.Json()["config"]["webhook_secret"], created["config"]["webhook_secret"]);
    test = Test(id);
    EXPECT_EQ(test["ok"], false) << test;
    EXPECT_EQ(stripe.requests().back().Header("Authorization"), "Bearer " + next);
    EXPECT_NE(test["error"].get<std::string>().find("Invalid API Key"), std::string::npos) << test;
    EXPECT_EQ(Betrayed(test.dump(), {key, next}), "");
    shown = Get(id);
    EXPECT_EQ(shown["status"], "error");
    EXPECT_EQ(shown["last_error"], test["error"]);
    // The operator points it at a provider that knows the new key: the next test clears the error status.
    FakeStripe renewed(next);
    PointAt(id, renewed.base_url());
    EXPECT_EQ(Test(id)["ok"], true);
    EXPECT_EQ(Get(id)["status"], "active");
    EXPECT_EQ(renewed.requests().back().Header("Authorization"), "Bearer " + next);

    // null removes an optional field; a required one cannot go.
    response = Put(id, {{"config", {{"previous_webhook_secret", nullptr}}}});
    ASSERT_EQ(response.status, 200) << response.body;
    shown = Get(id);
    EXPECT_FALSE(shown["config"].contains("previous_webhook_secret")) << shown;
    EXPECT_EQ(shown["config"]["webhook_secret"], created["config"]["webhook_secret"]);
    EXPECT_EQ(shown["config"]["api_key"], Masked(next));
    EXPECT_EQ(ProblemFields(Put(id, {{"config", {{"api_key", nullptr}}}})), std::vector<std::string>{"config.api_key"});
    EXPECT_EQ(ProblemFields(Put(id, {{"config", {{"api_key", "pk_test_" + RandomAlnum(24)}}}})),
              std::vector<std::string>{"config.api_key"});
    EXPECT_EQ(ProblemFields(Put(id, {{"type", "razorpay"}})), std::vector<std::string>{"type"});
    EXPECT_EQ(ProblemFields(Put(id, {{"mode", "live"}})), std::vector<std::string>{"config.api_key"});
    EXPECT_EQ(Get(id)["config"], shown["config"]);
    EXPECT_EQ(Test(id)["ok"], true);
    EXPECT_EQ(http_.Put(Url(path + "x"), json{{"name", "x"}}, As(a_owner_)).status, 404);

    // The one request the provider refused is the one with the key it does not know.
    ASSERT_EQ(stripe.violations().size(), 1U) << stripe.violations().back();
    EXPECT_NE(stripe.violations().front().find("Invalid API Key"), std::string::npos) << stripe.violations().front();
    EXPECT_TRUE(renewed.violations().empty()) << renewed.violations().front();
    Remove(id);
}

// libstdc++'s std::regex recurses per character: a 200,000-character key checked against Stripe's pattern on a
// handler thread's stack ended the server. Checks run on a thread with a large stack and refuse long strings first.
TEST_F(Integrations, ALongCredentialCheckedAgainstAPatternIsA422NotACrash) {
    const auto r = http_.Post(Url("/integrations"),
                              json{{"type", "stripe"},
                                   {"name", Unique("long")},
                                   {"config", {{"api_key", "sk_test_" + std::string(200000, 'a')}}}},
                              As(a_owner_));
    EXPECT_EQ(FieldErrors(r), std::vector<std::string>{"config.api_key"}) << r.body.substr(0, 300);
    EXPECT_EQ(http_.Get(Url("/integrations/types"), As(a_owner_)).status, 200);
}

TEST_F(Integrations, ADefaultPerCapabilityUnsetsThePreviousOne) {
    HttpReceiver nowhere;
    const auto make = [&](const std::string& type, bool is_default) {
        return Created({{"type", type},
                        {"name", Unique(type)},
                        {"is_default", is_default},
                        {"config", ValidConfig(type, nowhere.Url(""), "")}})
            .value("id", "");
    };
    const std::string stripe = make("stripe", true);
    const std::string email = make("sendgrid", true);
    const std::string other = make("razorpay", false);
    EXPECT_EQ(Get(stripe)["is_default"], true);
    EXPECT_EQ(Get(other)["is_default"], false);

    // A second default payments integration: the first one is no longer.
    const std::string razorpay = make("razorpay", true);
    EXPECT_EQ(Get(razorpay)["is_default"], true);
    EXPECT_EQ(Get(stripe)["is_default"], false);
    EXPECT_EQ(Get(email)["is_default"], true);  // another capability

    // And back, by update.
    const auto response = Put(stripe, {{"is_default", true}});
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["is_default"], true);
    EXPECT_EQ(Get(stripe)["is_default"], true);
    EXPECT_EQ(Get(razorpay)["is_default"], false);
    EXPECT_EQ(Get(other)["is_default"], false);
    EXPECT_EQ(Get(email)["is_default"], true);
    size_t defaults = 0;
    for (const auto& item : All())
        if (item["capability"] == "payments" && item["is_default"] == true) ++defaults;
    EXPECT_EQ(defaults, 1U);
    for (const auto& id : {stripe, email, other, razorpay}) Remove(id);
}

TEST_F(Integrations, RepeatedFailuresOpenTheCircuitAndLaterCallsDoNotReachTheProvider) {
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    stripe.FailNext(100, Reply{.status = 500, .body = R"({"error":{"type":"api_error","message":"down"}})"});
    const std::string id = Stripe(key, stripe.base_url())["id"];
    json shown = Get(id);
    EXPECT_EQ(shown["resilience"]["circuit"]["state"], "closed");
    const int threshold = shown["resilience"]["circuit"]["failure_threshold"];
    ASSERT_GE(threshold, 1);

    int tests = 0;
    for (; tests < 2 * threshold && shown["resilience"]["circuit"]["state"] != "open"; ++tests) {
        const json test = Test(id);
        EXPECT_EQ(test["ok"], false) << test;
        EXPECT_EQ(test["integration"]["status"], "error");
        shown = Get(id);
    }
    ASSERT_EQ(shown["resilience"]["circuit"]["state"], "open") << shown << " after " << tests << " tests";
    EXPECT_GE(shown["resilience"]["circuit"]["consecutive_failures"], threshold);
    EXPECT_GT(shown["resilience"]["circuit"]["retry_in_ms"], 0);
    EXPECT_EQ(shown["status"], "error");
    const size_t reached = stripe.requests().size();
    EXPECT_EQ(reached, static_cast<size_t>(threshold));  // retried until the circuit opened, not beyond

    // While open, a test fails at once without calling the provider.
    const json test = Test(id);
    EXPECT_EQ(test["ok"], false);
    EXPECT_NE(test["error"].get<std::string>().find("circuit open"), std::string::npos) << test;
    EXPECT_EQ(stripe.requests().size(), reached);
    shown = Get(id);
    EXPECT_EQ(shown["last_error"], test["error"]);
    EXPECT_EQ(shown["resilience"]["circuit"]["state"], "open");
    EXPECT_TRUE(stripe.violations().empty()) << stripe.violations().front();
    Remove(id);
}

TEST_F(Integrations, GarbageOrSlowAnswersFailTheTestWithTheReasonRecorded) {
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    const std::string id = Stripe(key, stripe.base_url(), {{"timeout_seconds", 1}})["id"];

    stripe.FailNext(1, Reply{.status = 200, .body = "not json"});
    json test = Test(id);
    EXPECT_EQ(test["ok"], false) << test;
    EXPECT_NE(test["error"].get<std::string>().find("not JSON"), std::string::npos) << test;
    json shown = Get(id);
    EXPECT_EQ(shown["status"], "error");
    EXPECT_EQ(shown["last_error"], test["error"]);
    EXPECT_FALSE(shown["last_tested_at"].is_null());

    // Recovered: the status and the error follow the last test.
    test = Test(id);
    EXPECT_EQ(test["ok"], true) << test;
    shown = Get(id);
    EXPECT_EQ(shown["status"], "active");
    EXPECT_TRUE(shown["last_error"].is_null());

    // Slower than the integration's timeout: each attempt is cut off after a second.
    stripe.FailNext(3, Reply{.status = 200, .body = "{}", .delay = 4s});
    const size_t before = stripe.requests().size();
    const auto started = std::chrono::steady_clock::now();
    test = Test(id);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(test["ok"], false) << test;
    EXPECT_NE(test["error"].get<std::string>().find("timeout"), std::string::npos) << test;
    EXPECT_LT(took, 4s * static_cast<int>(stripe.requests().size() - before));
    shown = Get(id);
    EXPECT_EQ(shown["status"], "error");
    EXPECT_EQ(shown["last_error"], test["error"]);
    EXPECT_TRUE(stripe.violations().empty()) << stripe.violations().front();
    Remove(id);
}

TEST_F(Integrations, AnotherTenantsIntegrationIsNotFound) {
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    const json created = Stripe(key, stripe.base_url());
    const std::string id = created["id"];
    const std::string path = "/integrations/" + id;
    EXPECT_EQ(http_.Get(Url(path), As(b_owner_)).status, 404);
    EXPECT_EQ(Put(id, {{"name", "taken"}}, b_owner_).status, 404);
    EXPECT_EQ(Put(id, {{"config", {{"base_url", "http://127.0.0.1:9/"}}}}, b_owner_).status, 404);
    EXPECT_EQ(http_.Post(Url(path + "/test"), "", As(b_owner_)).status, 404);
    EXPECT_EQ(http_.Delete(Url(path), As(b_owner_)).status, 404);
    for (const auto& item : All(b_owner_)) EXPECT_NE(item["id"], id);
    // Naming A's tenant does not help a user who is not its member.
    EXPECT_NE(http_.Get(Url(path), As(b_owner_, a_tenant_id_)).status, 200);

    const json shown = Get(id);
    EXPECT_EQ(shown["name"], created["name"]);
    EXPECT_EQ(shown["config"], created["config"]);
    EXPECT_TRUE(shown["last_tested_at"].is_null());
    EXPECT_TRUE(stripe.requests().empty());  // B's test never reached the provider
    Remove(id);
}

// A server of the test's own, with debug logging, so that its whole storage and log can be read.
TEST_F(Integrations, SecretsNeverReachTheDatabaseTheLogOrAnErrorInClear) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_LOG_LEVEL", "debug"},
                        {"KILN_PROVIDER_BACKOFF_BASE_MS", "50"},
                        {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,1"}});
    server.Start();
    HttpClient http;
    const DemoOwner owner = SignInAsDemoOwner(server, http);
    std::map<std::string, std::vector<std::string>> secret_fields;
    const json types = http.Get(owner.Url("/integrations/types"), owner.auth).Json();
    for (const auto& type : types["data"])
        secret_fields[type["type"]] = type["secret_fields"].get<std::vector<std::string>>();
    ASSERT_EQ(secret_fields.size(), kTypes.size());

    // A hostile provider: it refuses every call and quotes the request (headers and body) back in
    // every field an adapter might take its error message from.
    HttpReceiver echo([](const ReceivedRequest& request, size_t) {
        std::string quoted = request.method + " " + request.target;
        for (const auto& [name, value] : request.headers) quoted.append(" ").append(name).append(": ").append(value);
        quoted += " " + request.body;
        const json error = {{"message", quoted}, {"description", quoted}, {"code", quoted}, {"type", quoted}};
        return Reply{.status = 401,
                     .body = json{{"error", error},
                                  {"errors", json::array({error})},
                                  {"message", quoted},
                                  {"error_description", quoted}}
                                 .dump(),
                     .headers = {{"Content-Type", "application/json"}}};
    });

    std::vector<std::string> secrets;
    std::vector<std::string> responses;  // every answer the API gave, searched at the end
    std::map<std::string, std::string> ids;
    std::string stripe_key;
    for (const auto& type : kTypes) {
        SCOPED_TRACE(type);
        const json config = Known(ConfigFor(type, echo.Url(""), FakeDocuSign::GenerateRsaKeyPair().first), type, types);
        for (const auto& field : secret_fields.at(type)) {
            ASSERT_TRUE(config.contains(field)) << "no value for the secret field " << field;
            secrets.push_back(config[field]);
        }
        auto response =
            http.Post(owner.Url("/integrations"), json{{"type", type}, {"name", type}, {"config", config}}, owner.auth);
        ASSERT_EQ(response.status, 201) << response.body;
        responses.push_back(response.body);
        const std::string id = response.Json()["id"];
        ids[type] = id;
        if (type != "custom") PointIntegrationAt(owner.Url(""), owner.auth, id, echo.Url(""), echo.Url(""));
        // Kept (sent back masked), then every secret replaced.
        response = http.Put(owner.Url("/integrations/" + id),
                            json{{"name", type + " renamed"}, {"config", response.Json()["config"]}}, owner.auth);
        ASSERT_EQ(response.status, 200) << response.body;
        responses.push_back(response.body);
        const json fresh = Known(ConfigFor(type, echo.Url(""), FakeDocuSign::GenerateRsaKeyPair().first), type, types);
        json replaced = json::object();
        for (const auto& field : secret_fields.at(type)) {
            replaced[field] = fresh[field];
            secrets.push_back(fresh[field]);
        }
        if (type == "stripe") stripe_key = replaced["api_key"];
        // HTTP Basic credentials carry the secret base64-encoded with the account it belongs to.
        for (const auto& [user, password] : std::map<std::string, std::string>{{"twilio", "account_sid:auth_token"},
                                                                               {"razorpay", "key_id:key_secret"}})
            if (type == user) {
                const std::string account = config[password.substr(0, password.find(':'))];
                const std::string field = password.substr(password.find(':') + 1);
                for (const json* set : {&config, &fresh})
                    secrets.push_back(fakeutil::Base64Encode(account + ":" + (*set)[field].get<std::string>()));
            }
        response = http.Put(owner.Url("/integrations/" + id), json{{"config", replaced}}, owner.auth);
        ASSERT_EQ(response.status, 200) << response.body;
        responses.push_back(response.body);
        // A refused connectivity test records the provider's reason, with every secret masked.
        response = http.Post(owner.Url("/integrations/" + id + "/test"), "", owner.auth);
        ASSERT_EQ(response.status, 200) << response.body;
        responses.push_back(response.body);
        EXPECT_EQ(response.Json()["ok"], false) << response.body;
        EXPECT_EQ(response.Json()["integration"]["status"], "error") << response.body;
    }
    EXPECT_GE(echo.count(), kTypes.size() - 1);  // every provider but the one that may fail before calling

    // Stripe reached with its current key, which the provider accepts.
    FakeStripe stripe(stripe_key);
    PointIntegrationAt(owner.Url(""), owner.auth, ids["stripe"], stripe.base_url());
    auto response = http.Post(owner.Url("/integrations/" + ids["stripe"] + "/test"), "", owner.auth);
    responses.push_back(response.body);
    EXPECT_EQ(response.Json()["ok"], true) << response.body;
    EXPECT_TRUE(stripe.violations().empty());
    // A webhook subscription's signing secret is a secret too; a delivery signs with it.
    response = http.Post(owner.Url("/integrations/webhooks"),
                         json{{"target_url", echo.Url("/hook")}, {"events", {"product.created"}}}, owner.auth);
    ASSERT_EQ(response.status, 201) << response.body;
    const std::string webhook_secret = response.Json()["secret"];
    secrets.push_back(webhook_secret.substr(std::string("whsec_").size()));
    const size_t calls = echo.count();
    response =
        http.Post(owner.Url("/products"),
                  json{{"sku", "vault-1"}, {"name", "Vault"}, {"unit_price", 100}, {"currency", "EUR"}}, owner.auth);
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_TRUE(echo.WaitFor(calls + 1, 20s));
    for (const auto& [type, id] : ids) {
        response = http.Get(owner.Url("/integrations/" + id), owner.auth);
        responses.push_back(response.body);
        EXPECT_EQ(response.Json()["last_error"].is_null(), type == "stripe") << response.body;
    }
    // The secrets did travel, in clear where the provider needs them (so the searches below can find them).
    std::string sent;
    for (const auto& request : echo.requests())
        for (const auto& [name, value] : request.headers) sent += value + "\n";
    EXPECT_EQ(Betrayed(sent, {stripe_key}), stripe_key);
    responses.push_back(http.Get(owner.Url("/integrations?limit=200"), owner.auth).body);
    responses.push_back(http.Get(owner.Url("/audit-logs?limit=200"), owner.auth).body);

    for (const auto& body : responses) EXPECT_EQ(Betrayed(body, secrets), "") << body;
    const auto check_storage = [&](const char* when) {
        auto stored = StoredData(server);
        size_t sealed = 0;
        for (const auto& [name, content] : stored) {
            EXPECT_EQ(Betrayed(content, secrets), "") << when << ": in " << name;
            for (size_t at = content.find("kv1:"); at != std::string::npos; at = content.find("kv1:", at + 1)) ++sealed;
        }
        // The secrets are there, sealed (at least one per integration; in SQLite's file a value that
        // spans two pages may not be counted).
        EXPECT_GE(sealed, kTypes.size()) << when;
        return stored;
    };
    const auto stored = check_storage("while running");
    if (!server.uses_postgres()) {
        EXPECT_TRUE(stored.contains("kiln.db-wal")) << "no -wal file to search";
    }
    EXPECT_EQ(server.Stop(), 0);
    check_storage("after shutdown");
    const std::string log = server.Output();
    EXPECT_NE(log.find("provider call"), std::string::npos) << "the provider calls were not logged";
    EXPECT_EQ(Betrayed(log, secrets), "") << "in the log";
}

// Every sealed value is resealed under a new key while the server is stopped; after a restart
// nothing tells, except the key file.
TEST_F(Integrations, RotatingTheMasterKeyKeepsEverySecretWorking) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"}});
    server.Start();
    HttpClient http;
    const DemoOwner owner = SignInAsDemoOwner(server, http);
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    HttpReceiver receiver;
    std::map<std::string, json> before;  // by id
    size_t secrets = 0;                  // the secret fields saved (the masked ones)
    for (const json& body : {json{{"type", "stripe"},
                                  {"name", "Stripe"},
                                  {"config", {{"api_key", key}, {"webhook_secret", "whsec_" + RandomAlnum(32)}}}},
                             json{{"type", "twilio"},
                                  {"name", "Twilio"},
                                  {"config", Known(ConfigFor("twilio", receiver.Url(""), ""), "twilio",
                                                   http.Get(owner.Url("/integrations/types"), owner.auth).Json())}}}) {
        const auto response = http.Post(owner.Url("/integrations"), body, owner.auth);
        ASSERT_EQ(response.status, 201) << response.body;
        const json created = response.Json();
        before[created["id"]] = created["config"];
        for (const auto& [field, value] : created["config"].items())
            if (value.is_string() && value.get<std::string>().find(kEllipsis) != std::string::npos) ++secrets;
    }
    const std::string stripe_id =
        before.begin()->second.contains("api_key") ? before.begin()->first : std::next(before.begin())->first;
    PointIntegrationAt(owner.Url(""), owner.auth, stripe_id, stripe.base_url());
    const auto subscribed =
        http.Post(owner.Url("/integrations/webhooks"),
                  json{{"target_url", receiver.Url("/hook")}, {"events", {"product.created"}}}, owner.auth);
    ASSERT_EQ(subscribed.status, 201) << subscribed.body;
    const std::string webhook_secret = subscribed.Json()["secret"];

    const std::filesystem::path data(server.data_dir());
    const std::string old_key = ReadFile(data / "master.key");
    ASSERT_FALSE(old_key.empty());
    ASSERT_EQ(server.Stop(), 0);
    std::string out;
    ASSERT_EQ(server.Cli({"admin", "--data-dir", server.data_dir(), "rotate-master-key"}, &out), 0) << out;
    EXPECT_NE(out.find("resealed " + std::to_string(secrets) + " integration secrets"), std::string::npos) << out;
    EXPECT_NE(out.find(" 1 webhook secret"), std::string::npos) << out;
    const std::string new_key = ReadFile(data / "master.key");
    EXPECT_FALSE(new_key.empty());
    EXPECT_NE(new_key, old_key);
    EXPECT_FALSE(std::filesystem::exists(data / "master.key.next"));
    // The old key is kept aside under its id; the command names the new key's id (the first eight
    // hex digits of the SHA-256 of the key), and every sealed value now names it.
    std::string old_id;
    for (const auto& entry : std::filesystem::directory_iterator(data))
        if (const std::string name = entry.path().filename().string(); name.starts_with("master.key.retired-"))
            old_id = name.substr(std::string("master.key.retired-").size());
    ASSERT_FALSE(old_id.empty());
    EXPECT_EQ(ReadFile(data / ("master.key.retired-" + old_id)), old_key);
    const auto key_id = [](const std::string& encoded) {
        const auto bytes = fakeutil::Base64Decode(fakeutil::Trim(encoded));
        return bytes ? fakeutil::HexEncode(fakeutil::Sha256(*bytes)).substr(0, 8) : std::string("(not base64)");
    };
    EXPECT_EQ(key_id(old_key), old_id);
    const std::string new_id = key_id(new_key);
    EXPECT_NE(out.find(new_id), std::string::npos) << out;
    EXPECT_NE(new_id, old_id);
    size_t sealed_new = 0;
    for (const auto& [name, content] : StoredData(server)) {
        EXPECT_EQ(content.find("kv1:" + old_id + ":"), std::string::npos)
            << "a value still sealed by the old key in " << name;
        for (size_t i = content.find("kv1:" + new_id + ":"); i != std::string::npos;
             i = content.find("kv1:" + new_id + ":", i + 1))
            ++sealed_new;
    }
    EXPECT_GE(sealed_new, secrets + 1);

    server.Start();
    for (const auto& [id, config] : before) {
        const auto response = http.Get(owner.Url("/integrations/" + id), owner.auth);
        ASSERT_EQ(response.status, 200) << response.body;
        EXPECT_EQ(response.Json()["config"], config);
    }
    const auto test = http.Post(owner.Url("/integrations/" + stripe_id + "/test"), "", owner.auth);
    ASSERT_EQ(test.status, 200) << test.body;
    EXPECT_EQ(test.Json()["ok"], true) << test.body;
    ASSERT_FALSE(stripe.requests().empty());
    EXPECT_EQ(stripe.requests().back().Header("Authorization"), "Bearer " + key);
    EXPECT_TRUE(stripe.violations().empty());
    // Webhook deliveries still sign with the subscription's secret.
    ASSERT_EQ(
        http.Post(owner.Url("/products"),
                  json{{"sku", "rotated-1"}, {"name", "Rotated"}, {"unit_price", 100}, {"currency", "EUR"}}, owner.auth)
            .status,
        201);
    ASSERT_TRUE(receiver.WaitFor(1, 20s)) << server.Output();
    EXPECT_TRUE(SignedWith(receiver.requests().front(), webhook_secret));
}

// A half-open circuit lets one trial call through; a trial that ends before reaching the provider
// (here: Kiln's own rate limit refuses it) must not keep the circuit from ever closing.
TEST_F(Integrations, AHalfOpenCircuitWhoseTrialNeverCalledRecovers) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_PROVIDER_BREAKER_FAILURES", "1"},
                        {"KILN_PROVIDER_BREAKER_OPEN_MS", "300"},
                        {"KILN_PROVIDER_BACKOFF_BASE_MS", "10"}});
    server.Start();
    HttpClient http;
    const DemoOwner owner = SignInAsDemoOwner(server, http);
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    const auto created = http.Post(
        owner.Url("/integrations"),
        json{{"type", "stripe"},
             {"name", "Stripe"},
             {"config", {{"api_key", key}, {"rate_limit_per_second", 0.01}}}},  // one call, then 100 s to the next
        owner.auth);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.Json()["id"];
    PointIntegrationAt(owner.Url(""), owner.auth, id, stripe.base_url());
    const auto test = [&] {
        const auto response = http.Post(owner.Url("/integrations/" + id + "/test"), "", owner.auth);
        EXPECT_EQ(response.status, 200) << response.body;
        return response.Json();
    };
    const auto circuit = [&] {
        return http.Get(owner.Url("/integrations/" + id), owner.auth).Json()["resilience"]["circuit"]["state"];
    };

    stripe.FailNext(1, Reply{.status = 500});
    EXPECT_EQ(test()["ok"], false);
    EXPECT_EQ(circuit(), "open");
    ASSERT_TRUE(Eventually([&] { return circuit() == "half_open"; }, 5s));
    // The trial is let through the breaker, then refused by the limiter: no call.
    json refused = test();
    EXPECT_EQ(refused["ok"], false);
    EXPECT_NE(refused["error"].get<std::string>().find("rate limit"), std::string::npos) << refused;
    EXPECT_EQ(stripe.requests().size(), 1U);
    // With room to call again, a later trial closes the circuit.
    const auto raised =
        http.Put(owner.Url("/integrations/" + id), json{{"config", {{"rate_limit_per_second", 100}}}}, owner.auth);
    ASSERT_EQ(raised.status, 200) << raised.body;
    EXPECT_TRUE(Eventually([&] { return test()["ok"] == true; }, 5s)) << circuit();
    EXPECT_EQ(circuit(), "closed");
    EXPECT_TRUE(stripe.violations().empty());
}

// ---- Issue 12, item 1: platform credentials never go to a host a tenant chose ----------------

/// A second tenant on a server of the test's own, and its owner's session headers.
HeaderList OwnTenant(KilnProcess& server, HttpClient& http, const std::string& slug) {
    std::string out;
    EXPECT_EQ(server.Cli({"admin", "create-tenant", "--name", slug, "--slug", slug}, &out), 0) << out;
    const std::string email = "owner@" + slug + ".test";
    EXPECT_EQ(server.Cli({"admin", "create-user", "--email", email, "--password", kBetaPassword, "--tenant", slug,
                          "--role", "owner"},
                         &out),
              0)
        << out;
    const auto login =
        http.Post(server.base_url() + "/api/v1/auth/login", json{{"email", email}, {"password", kBetaPassword}});
    EXPECT_EQ(login.status, 200) << login.body;
    return {{"Authorization", "Bearer " + login.Json().value("token", "")}};
}

TEST_F(Integrations, PlatformCredentialsNeverReachAHostTheTenantChose) {
    const std::string platform_key = "sk_test_Platform" + RandomAlnum(20);
    const std::string platform_token = "shpat_" + RandomHex(32);
    const std::string platform_docusign = "PlatformDocuSignToken" + RandomAlnum(24);
    // The attacker's receiver is reachable in every trust class: only the design keeps secrets from it.
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"STRIPE_API_KEY", platform_key},
                        {"SHOPIFY_SHOP_DOMAIN", "platform-shop.myshopify.com"},
                        {"SHOPIFY_ACCESS_TOKEN", platform_token},
                        {"DOCUSIGN_ACCOUNT_ID", Guid()},
                        {"DOCUSIGN_ACCESS_TOKEN", platform_docusign}});
    server.Start();
    HttpClient http;
    const DemoOwner admin = SignInAsDemoOwner(server, http);
    const HeaderList tenant = OwnTenant(server, http, "attacker");
    const std::string tenant_id = http.Get(admin.Url("/tenant"), tenant).Json()["id"];
    HttpReceiver receiver;
    const auto create = [&](const std::string& type, const json& config) {
        return http.Post(admin.Url("/integrations"), json{{"type", type}, {"name", type}, {"config", config}}, tenant);
    };

    // The attacks of the issue: a host of the tenant's choosing, the secret left to the platform.
    for (const auto& [type, config, field] : std::vector<std::tuple<std::string, json, std::string>>{
             {"stripe", {{"base_url", receiver.Url("")}}, "config.base_url"},
             {"shopify", {{"base_url", receiver.Url("")}}, "config.base_url"},
             {"shopify", {{"shop_domain", "127.0.0.1"}}, "config.shop_domain"},
             {"docusign", {{"oauth_base_url", receiver.Url("")}}, "config.oauth_base_url"},
             {"docusign", {{"base_url", receiver.Url("")}}, "config.base_url"},
             {"sendgrid", {{"base_url", receiver.Url("")}}, "config.base_url"},
             {"twilio", {{"base_url", receiver.Url("")}}, "config.base_url"}}) {
        SCOPED_TRACE(type + " " + config.dump());
        const auto response = create(type, config);
        EXPECT_TRUE(Contains(ProblemFields(response), field)) << response.body;
    }
    // Without the opt-in the platform fills nothing: the tenant's own secret is required, and no
    // answer names the platform's variables.
    auto response = create("stripe", json::object());
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.api_key"}) << response.body;
    EXPECT_EQ(response.body.find("STRIPE_API_KEY"), std::string::npos) << response.body;
    response = create("stripe", {{"api_key", "sk_test_" + RandomAlnum(24)}});
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(response.Json()["platform_defaults"], json::array());
    EXPECT_TRUE(response.Json()["endpoint_override"].is_null());
    const std::string own_stripe = response.Json()["id"];

    // Only a platform administrator opts a tenant in, or points an integration elsewhere.
    EXPECT_EQ(
        http.Put(admin.Url("/admin/tenants/" + tenant_id), json{{"use_platform_credentials", true}}, tenant).status,
        403);
    EXPECT_EQ(http.Put(admin.Url("/admin/integrations/" + own_stripe + "/endpoint"),
                       json{{"base_url", receiver.Url("")}}, tenant)
                  .status,
              403);
    EXPECT_TRUE(http.Get(admin.Url("/integrations/" + own_stripe), tenant).Json()["endpoint_override"].is_null());
    response = http.Put(admin.Url("/admin/tenants/" + tenant_id), json{{"use_platform_credentials", true}}, admin.auth);
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Json()["use_platform_credentials"], true);

    // Opted in: the platform's key fills an integration with no endpoint of the tenant's…
    response = create("stripe", json::object());
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_TRUE(Contains(response.Json()["platform_defaults"].get<std::vector<std::string>>(), "api_key"));
    const std::string platform_stripe = response.Json()["id"];
    // …but never one whose shop (an endpoint field) the tenant chose: its own token is required.
    response = create("shopify", {{"shop_domain", "attacker.myshopify.com"}});
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.access_token"}) << response.body;
    response =
        create("shopify", {{"shop_domain", "attacker.myshopify.com"}, {"access_token", "shpat_" + RandomHex(32)}});
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_FALSE(Contains(response.Json()["platform_defaults"].get<std::vector<std::string>>(), "access_token"));
    // Still no tenant field can move the platform's key: base_url is not one.
    response = http.Put(admin.Url("/integrations/" + platform_stripe),
                        json{{"config", {{"base_url", receiver.Url("")}}}}, tenant);
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.base_url"}) << response.body;
    for (const auto& request : receiver.requests())
        for (const auto& [name, value] : request.headers)
            for (const auto& secret : {platform_key, platform_token, platform_docusign})
                EXPECT_EQ(value.find(secret), std::string::npos) << name << " carried a platform secret";
    EXPECT_EQ(receiver.count(), 0U);

    // The operator may send it elsewhere (a test server): then, and only then, the key goes there.
    FakeStripe stripe(platform_key);
    const json pointed = PointIntegrationAt(admin.Url(""), admin.auth, platform_stripe, stripe.base_url());
    EXPECT_EQ(pointed["endpoint_override"]["base_url"], stripe.base_url());
    response = http.Post(admin.Url("/integrations/" + platform_stripe + "/test"), "", tenant);
    EXPECT_EQ(response.Json()["ok"], true) << response.body;
    EXPECT_EQ(stripe.requests().back().Header("Authorization"), "Bearer " + platform_key);
    // Cleared with null: the pinned host again.
    response = http.Put(admin.Url("/admin/integrations/" + platform_stripe + "/endpoint"), json{{"base_url", nullptr}},
                        admin.auth);
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(response.Json()["endpoint_override"].is_null()) << response.body;
    // An endpoint the operator sets must be a URL.
    response = http.Put(admin.Url("/admin/integrations/" + platform_stripe + "/endpoint"),
                        json{{"base_url", "ftp://127.0.0.1/"}}, admin.auth);
    EXPECT_EQ(FieldErrors(response), std::vector<std::string>{"base_url"}) << response.body;

    // Opted out again: nothing of the platform's is used.
    ASSERT_EQ(http.Put(admin.Url("/admin/tenants/" + tenant_id), json{{"use_platform_credentials", false}}, admin.auth)
                  .status,
              200);
    EXPECT_EQ(http.Get(admin.Url("/integrations/" + platform_stripe), tenant).Json()["platform_defaults"],
              json::array());
}

TEST_F(Integrations, ChangingAnEndpointFieldRequiresEverySecretAgain) {
    HttpReceiver old_host;
    HttpReceiver new_host;
    const std::string secret = "Bearer Original" + RandomAlnum(32);
    const json created = Created(
        {{"type", "custom"},
         {"name", Unique("custom")},
         {"config", {{"base_url", old_host.Url("")}, {"allowed_paths", {"/v1/ping"}}, {"auth_header_value", secret}}}});
    const std::string id = created["id"];

    // Only the URL: refused, naming the secret that must come with it; the masked value is no secret.
    auto response = Put(id, {{"config", {{"base_url", new_host.Url("")}}}});
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.auth_header_value"}) << response.body;
    EXPECT_NE(response.body.find("must be sent again when base_url changes"), std::string::npos) << response.body;
    response = Put(id, {{"config", {{"base_url", new_host.Url("")}, {"auth_header_value", Masked(secret)}}}});
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.auth_header_value"}) << response.body;
    EXPECT_EQ(Get(id)["config"]["base_url"], old_host.Url(""));
    EXPECT_EQ(Test(id)["ok"], true);
    EXPECT_EQ(new_host.count(), 0U);
    ASSERT_EQ(old_host.count(), 1U);
    EXPECT_EQ(old_host.requests().front().Header("Authorization"), secret);

    // With a new secret: the new host gets that one, never the stored one.
    const std::string next = "Bearer Replaced" + RandomAlnum(32);
    response = Put(id, {{"config", {{"base_url", new_host.Url("")}, {"auth_header_value", next}}}});
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(Test(id)["ok"], true);
    ASSERT_EQ(new_host.count(), 1U);
    EXPECT_EQ(new_host.requests().front().Header("Authorization"), next);
    for (const auto& request : new_host.requests())
        for (const auto& [name, value] : request.headers) EXPECT_EQ(value.find(secret), std::string::npos) << name;

    // Any endpoint field does it: a Shopify shop domain takes its token and webhook secret along.
    const json shop = Created({{"type", "shopify"},
                               {"name", Unique("shop")},
                               {"config",
                                {{"shop_domain", "kiln-one.myshopify.com"},
                                 {"access_token", "shpat_" + RandomHex(32)},
                                 {"webhook_secret", RandomHex(32)}}}});
    response = Put(shop["id"], {{"config", {{"shop_domain", "kiln-two.myshopify.com"}}}});
    const auto fields = ProblemFields(response);
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
              (std::set<std::string>{"config.access_token", "config.webhook_secret"}))
        << response.body;
    response = Put(shop["id"], {{"config",
                                 {{"shop_domain", "kiln-two.myshopify.com"},
                                  {"access_token", "shpat_" + RandomHex(32)},
                                  {"webhook_secret", nullptr}}}});
    EXPECT_EQ(response.status, 200) << response.body;
    Remove(id);
    Remove(shop["id"]);
}

// ---- Issue 12, item 15: the operator's networks are not the tenants' -------------------------

TEST_F(Integrations, TenantDestinationsDoNotGetTheOperatorsInternalNetworks) {
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"}});
    server.Start();
    HttpClient http;
    const DemoOwner owner = SignInAsDemoOwner(server, http);
    HttpReceiver internal;
    // A custom integration and a webhook subscription are the tenant's own destinations: refused.
    auto response = http.Post(owner.Url("/integrations"),
                              json{{"type", "custom"},
                                   {"name", "internal"},
                                   {"config", {{"base_url", internal.Url("")}, {"allowed_paths", {"/"}}}}},
                              owner.auth);
    EXPECT_EQ(ProblemFields(response), std::vector<std::string>{"config.base_url"}) << response.body;
    EXPECT_NE(response.body.find("KILN_TENANT_EGRESS_ALLOWED_NETWORKS"), std::string::npos) << response.body;
    response = http.Post(owner.Url("/integrations/webhooks"),
                         json{{"target_url", internal.Url("/hook")}, {"events", {"product.created"}}}, owner.auth);
    EXPECT_TRUE(Contains(ProblemFields(response), "target_url")) << response.body;
    // An endpoint the operator set is the operator's: the same network is reachable for it.
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    response = http.Post(owner.Url("/integrations"),
                         json{{"type", "stripe"}, {"name", "operator"}, {"config", {{"api_key", key}}}}, owner.auth);
    ASSERT_EQ(response.status, 201) << response.body;
    const std::string id = response.Json()["id"];
    PointIntegrationAt(owner.Url(""), owner.auth, id, stripe.base_url());
    response = http.Post(owner.Url("/integrations/" + id + "/test"), "", owner.auth);
    EXPECT_EQ(response.Json()["ok"], true) << response.body;
    EXPECT_EQ(internal.count(), 0U);
}

// ---- Issue 12, item 8: one tenant cannot hold every handler thread ---------------------------

/// Accepts connections and never answers, like a host that drops everything after the handshake.
class BlackHole {
  public:
    BlackHole() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 64) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("black hole: cannot listen");
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] {
            while (!stop_) {
                pollfd ready{fd_, POLLIN, 0};
                if (::poll(&ready, 1, 50) <= 0) continue;
                const int connection = ::accept(fd_, nullptr, nullptr);
                if (connection < 0) continue;
                const std::lock_guard lock(mutex_);
                accepted_.push_back(connection);
            }
        });
    }
    ~BlackHole() {
        stop_ = true;
        thread_.join();
        for (const int connection : accepted_) ::close(connection);
        ::close(fd_);
    }
    BlackHole(const BlackHole&) = delete;
    BlackHole& operator=(const BlackHole&) = delete;

    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    size_t accepted() {
        const std::lock_guard lock(mutex_);
        return accepted_.size();
    }

  private:
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<int> accepted_;
    std::thread thread_;
};

TEST_F(Integrations, ATenantsInRequestProviderCallsAreBoundedAndOtherTenantsAreServed) {
    BlackHole hole;
    // Tenant B's integrations, each pointed by the operator at the black hole (a provider gone silent).
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        const auto created = http_.Post(Url("/integrations"),
                                        json{{"type", "stripe"},
                                             {"name", Unique("silent")},
                                             {"config", {{"api_key", "sk_test_" + RandomAlnum(24)}}}},
                                        As(b_owner_));
        ASSERT_EQ(created.status, 201) << created.body;
        ids.push_back(created.Json()["id"]);
        PointAt(ids.back(), hole.Url());
    }
    const auto test = [&](const std::string& id, const std::string& token) {
        return HttpClient().Post(Url("/integrations/" + id + "/test"), "", As(token));
    };
    // Two tests wait on the silent host: the tenant's bound (KILN_OUTBOUND_PER_TENANT, 2).
    auto first = std::async(std::launch::async, test, ids[0], b_owner_);
    auto second = std::async(std::launch::async, test, ids[1], b_owner_);
    ASSERT_TRUE(Eventually([&] { return hole.accepted() >= 2; }, 10s)) << hole.accepted();
    // More from the same tenant are refused at once, with a problem and Retry-After.
    for (const auto& id : {ids[2], ids[3]}) {
        const auto refused = test(id, b_owner_);
        EXPECT_EQ(refused.status, 429) << refused.body;
        EXPECT_TRUE(refused.Header("Content-Type").starts_with("application/problem+json")) << refused.body;
        EXPECT_FALSE(refused.Header("Retry-After").empty());
    }
    EXPECT_EQ(hole.accepted(), 2U);
    // Meanwhile the other tenant is answered, its own provider test included.
    EXPECT_EQ(http_.Get(Url("/integrations?limit=1"), As(a_owner_)).status, 200);
    const std::string key = "sk_test_" + RandomAlnum(24);
    FakeStripe stripe(key);
    const std::string own = Stripe(key, stripe.base_url())["id"];
    EXPECT_EQ(Test(own)["ok"], true);
    // The waiting ones end by the short in-request timeout, as a failed test; no retry reached the host.
    for (auto* waiting : {&first, &second}) {
        const auto done = waiting->get();
        EXPECT_EQ(done.status, 200) << done.body;
        EXPECT_EQ(done.Json()["ok"], false) << done.body;
    }
    EXPECT_EQ(hole.accepted(), 2U);
    // The slots are free again.
    EXPECT_EQ(test(ids[2], b_owner_).status, 200);
    Remove(own);
    for (const auto& id : ids) EXPECT_EQ(http_.Delete(Url("/integrations/" + id), As(b_owner_)).status, 204);
}

}  // namespace
}  // namespace kiln::testing
