// The settings registry: every setting declared once, read once (environment, then flags), a bad
// value a start-up error naming its variable; the README's table is generated from the same list.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/process_settings.hpp"
#include "core/error.hpp"
#include "core/settings/registry.hpp"
#include "core/settings/setting_kinds.hpp"
#include "core/settings/settings_documentation.hpp"
#include "core/settings/value_parsers.hpp"

namespace kiln {
namespace {

using std::chrono_literals::operator""s;
using Environment = std::map<std::string, std::string>;

settings::Lookup From(const Environment& environment) {
    return [environment](const std::string& variable) -> std::optional<std::string> {
        const auto it = environment.find(variable);
        if (it == environment.end()) return std::nullopt;
        return it->second;
    };
}

/// The variable an InvalidSetting names, and its message, from running `read`.
std::pair<std::string, std::string> Refusal(const std::function<void()>& read) {
    try {
        read();
    } catch (const InvalidSetting& e) {
        return {e.setting(), e.what()};
    }
    ADD_FAILURE() << "the value was accepted";
    return {};
}

// ---- one registry ----------------------------------------------------------------------------

struct Sample {
    int port = 4000;
    std::chrono::seconds timeout{30};
    std::string url;
    bool enabled = true;
};

settings::Registry SampleRegistry(Sample& s) {
    settings::Registry registry;
    registry.Add(settings::Integer("SAMPLE_PORT", s.port, {1, 65535}, "listen port").WithFlag("--port"));
    registry.Add(settings::Duration("SAMPLE_TIMEOUT_SECONDS", s.timeout, {1}, "a timeout"));
    registry.Add(settings::Url("SAMPLE_URL", s.url, {"postgres"}, "a database"));
    registry.Add(settings::Bool("SAMPLE_ENABLED", s.enabled, "on or off"));
    return registry;
}

TEST(SettingsRegistry, ReadsTheEnvironmentOnce) {
    Sample s;
    const auto registry = SampleRegistry(s);
    registry.Read(From({{"SAMPLE_PORT", "8080"}, {"SAMPLE_TIMEOUT_SECONDS", "5"}, {"SAMPLE_ENABLED", "off"}}));
    EXPECT_EQ(s.port, 8080);
    EXPECT_EQ(s.timeout, 5s);
    EXPECT_FALSE(s.enabled);
    EXPECT_EQ(s.url, "");  // unset: the default stays
}

TEST(SettingsRegistry, AnEmptyValueCountsAsUnset) {
    Sample s;
    SampleRegistry(s).Read(From({{"SAMPLE_PORT", ""}}));
    EXPECT_EQ(s.port, 4000);
}

TEST(SettingsRegistry, ABadValueNamesTheVariableAndNeverFallsBack) {
    for (const auto& [variable, value] :
         std::vector<std::pair<std::string, std::string>>{{"SAMPLE_PORT", "80x"},
                                                          {"SAMPLE_PORT", "0"},
                                                          {"SAMPLE_PORT", "65536"},
                                                          {"SAMPLE_PORT", "-1"},
                                                          {"SAMPLE_TIMEOUT_SECONDS", "0"},
                                                          {"SAMPLE_TIMEOUT_SECONDS", "1.5"},
                                                          {"SAMPLE_URL", "mysql://db/kiln"},
                                                          {"SAMPLE_ENABLED", "maybe"}}) {
        Sample s;
        const auto registry = SampleRegistry(s);
        const Environment environment = {{variable, value}};  // clang 14 captures no structured binding
        const auto [named, message] = Refusal([&] { registry.Read(From(environment)); });
        EXPECT_EQ(named, variable) << value;
        EXPECT_TRUE(message.starts_with(variable + " must be ")) << message;
    }
}

TEST(SettingsRegistry, TheMessageDoesNotRepeatTheValue) {
    // A database URL carries its password; the refusal says what is wrong without quoting it.
    Sample s;
    const auto registry = SampleRegistry(s);
    const auto [named, message] = Refusal([&] { registry.Read(From({{"SAMPLE_URL", "mysql://u:hunter2@db"}})); });
    EXPECT_EQ(named, "SAMPLE_URL");
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(SettingsRegistry, FlagsOverrideTheEnvironment) {
    Sample s;
    const auto registry = SampleRegistry(s);
    registry.Read(From({{"SAMPLE_PORT", "8080"}}));
    registry.ApplyFlag(*registry.Find("SAMPLE_PORT"), "9090");
    EXPECT_EQ(s.port, 9090);
    const auto [named, message] = Refusal([&] { registry.ApplyFlag(*registry.Find("SAMPLE_PORT"), "port"); });
    EXPECT_EQ(named, "SAMPLE_PORT");
    EXPECT_NE(message.find("--port"), std::string::npos) << message;
}

TEST(SettingsRegistry, ADuplicateDeclarationIsRefused) {
    Sample s;
    int other = 0;
    auto registry = SampleRegistry(s);
    EXPECT_THROW(registry.Add(settings::Integer("SAMPLE_PORT", other, {0}, "again")), std::logic_error);
    EXPECT_THROW(registry.Add(settings::Integer("SAMPLE_OTHER", other, {0}, "same flag").WithFlag("--port")),
                 std::logic_error);
    EXPECT_EQ(registry.settings().size(), 4U);
}

TEST(SettingsRegistry, ChecksAcrossSettingsRunAfterReading) {
    Sample s;
    auto registry = SampleRegistry(s);
    registry.AddCheck([&s] {
        if (!s.enabled && !s.url.empty())
            throw InvalidSetting("SAMPLE_URL", "must be unset when SAMPLE_ENABLED is off");
    });
    registry.Read(From({{"SAMPLE_ENABLED", "0"}, {"SAMPLE_URL", "postgres://db"}}));
    EXPECT_EQ(Refusal([&] { registry.Check(); }).first, "SAMPLE_URL");
}

TEST(SettingsRegistry, AnIntegerRangeFitsTheField) {
    int16_t small = 0;
    const auto setting = settings::Integer("SAMPLE_SMALL", small, {0}, "a small number");
    EXPECT_EQ(setting.kind, "integer from 0 to 32767");
    EXPECT_THROW(setting.assign("40000"), std::invalid_argument);
    setting.assign("32767");
    EXPECT_EQ(small, 32767);
}

// ---- value parsers ---------------------------------------------------------------------------

TEST(SettingsParsers, IntegersAreTheWholeText) {
    EXPECT_EQ(settings::ParseInteger("42", {0}), 42);
    for (const char* bad : {"", " 42", "42 ", "4 2", "0x10", "+1", "12abc", "99999999999999999999"})
        EXPECT_THROW(settings::ParseInteger(bad, {0}), std::invalid_argument) << bad;
}

TEST(SettingsParsers, SizesTakeBinaryUnits) {
    EXPECT_EQ(settings::ParseSize("1048576", {0}), 1048576);
    EXPECT_EQ(settings::ParseSize("1MiB", {0}), 1048576);
    EXPECT_EQ(settings::ParseSize("64KiB", {0}), 65536);
    EXPECT_EQ(settings::ParseSize("2GiB", {0}), int64_t{2} << 30);
    EXPECT_THROW(settings::ParseSize("1MB", {0}), std::invalid_argument);
    EXPECT_THROW(settings::ParseSize("MiB", {0}), std::invalid_argument);
    EXPECT_THROW(settings::ParseSize("99999999999999GiB", {0}), std::invalid_argument);
}

TEST(SettingsParsers, BooleansChoicesAndUrls) {
    for (const char* yes : {"1", "true", "TRUE", "on", "yes"}) EXPECT_TRUE(settings::ParseBool(yes)) << yes;
    for (const char* no : {"0", "false", "Off", "no"}) EXPECT_FALSE(settings::ParseBool(no)) << no;
    EXPECT_THROW(settings::ParseBool("2"), std::invalid_argument);
    EXPECT_EQ(settings::ParseChoice("warn", {"info", "warn"}), "warn");
    EXPECT_THROW(settings::ParseChoice("WARN", {"info", "warn"}), std::invalid_argument);
    EXPECT_EQ(settings::ParseUrl("https://x.test", {"http", "https"}), "https://x.test");
    EXPECT_EQ(settings::ParseUrl("HTTPS://x.test", {"http", "https"}), "HTTPS://x.test");
    EXPECT_THROW(settings::ParseUrl("https://", {"https"}), std::invalid_argument);
    EXPECT_THROW(settings::ParseUrl("x.test", {"https"}), std::invalid_argument);
}

// ---- the process's settings ------------------------------------------------------------------

TEST(ProcessSettings, EveryVariableIsDeclaredOnceWithHelp) {
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);  // Add refuses a second declaration
    std::set<std::string> variables;
    for (const auto& setting : registry.settings()) {
        EXPECT_TRUE(variables.insert(setting.variable).second) << setting.variable;
        EXPECT_FALSE(setting.help.empty()) << setting.variable;
        EXPECT_FALSE(setting.kind.empty()) << setting.variable;
        EXPECT_FALSE(setting.default_text.empty()) << setting.variable;
    }
    EXPECT_GT(variables.size(), 100U);
}

TEST(ProcessSettings, TheDefaultsAreTheDocumentedOnes) {
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);
    const std::map<std::string, std::string> expected = {
        {"PORT", "4000"},
        {"KILN_PORT_FILE", "(none)"},
        {"KILN_ADDRESS", "0.0.0.0"},
        {"API_PREFIX", "api/v1"},
        {"KILN_DATABASE_URL", "(none)"},
        {"KILN_DATA_DIR", "./kiln-data"},
        {"KILN_MAX_BODY_BYTES", "1048576"},
        {"KILN_READ_TIMEOUT_SECONDS", "30"},
        {"KILN_WRITE_TIMEOUT_SECONDS", "30"},
        {"KILN_IO_THREADS", "2"},
        {"KILN_HANDLER_THREADS", "8"},
        {"KILN_HANDLER_QUEUE_LIMIT", "1024"},
        {"KILN_DB_POOL_SIZE", "8"},
        {"KILN_SHUTDOWN_GRACE_SECONDS", "25"},
        {"KILN_SESSION_TTL_HOURS", "12"},
        {"KILN_IDEMPOTENCY_TTL_HOURS", "24"},
        {"KILN_LOGIN_MAX_FAILURES", "5"},
        {"KILN_LOGIN_WINDOW_SECONDS", "900"},
        {"KILN_TRUSTED_PROXIES", "(none)"},
        {"KILN_SMTP_URL", "(none)"},
        {"KILN_SMTP_STARTTLS", "false"},
        {"KILN_PUBLIC_URL", "http://localhost:8080"},
        {"KILN_INVITATION_TTL_HOURS", "168"},
        {"KILN_PASSWORD_RESET_TTL_MINUTES", "60"},
        {"KILN_LOG_LEVEL", "info"},
        {"KILN_ENV", "development"},
        {"KILN_SEED_DEMO", "true"},
        {"KILN_DEMO_PASSWORD", "(random)"},
        {"KILN_WORKER_THREADS", "2"},
        {"KILN_JOB_LEASE_SECONDS", "60"},
        {"KILN_JOB_BACKOFF_BASE_MS", "5000"},
        {"KILN_METRICS", "true"},
        {"KILN_METRICS_TOKEN", "(none)"},
        {"KILN_ACCESS_LOG", "true"},
        {"OTEL_EXPORTER_OTLP_ENDPOINT", "(none)"},
        {"OTEL_EXPORTER_OTLP_TIMEOUT", "10000"},
        {"OTEL_SERVICE_NAME", "kiln"},
        {"OTEL_TRACES_SAMPLER", "parentbased_always_on"},
        {"OTEL_TRACES_SAMPLER_ARG", "(none)"},
        {"OTEL_BSP_MAX_QUEUE_SIZE", "2048"},
        {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512"},
        {"OTEL_BSP_SCHEDULE_DELAY", "1000"},
        {"OTEL_SDK_DISABLED", "false"},
        {"KILN_MASTER_KEY", "(key file)"},
        {"KILN_WEBHOOK_WORKERS", "8"},
        {"KILN_WEBHOOK_TIMEOUT_SECONDS", "15"},
        {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,5,300,1800,7200,18000,36000,36000"},
        {"KILN_WEBHOOK_THROTTLE_SECONDS", "60"},
        {"KILN_WEBHOOK_DISABLE_AFTER_SECONDS", "432000"},
        {"KILN_WEBHOOK_RETENTION_HOURS", "720"},
        {"KILN_WEBHOOK_SECRET_GRACE_SECONDS", "86400"},
        {"KILN_WEBHOOK_MAX_IN_FLIGHT", "4"},
        {"KILN_WEBHOOK_RATE_LIMIT", "100"},
        {"KILN_WEBHOOK_LEASE_SECONDS", "30"},
        {"KILN_PROVIDER_BACKOFF_BASE_MS", "500"},
        {"KILN_PROVIDER_BREAKER_FAILURES", "5"},
        {"KILN_PROVIDER_BREAKER_OPEN_MS", "30000"},
        {"STRIPE_API_KEY", "(none)"},
        {"KILN_STRIPE_BASE_URL", "(none)"},
        {"KILN_DOCUSIGN_OAUTH_BASE_URL", "(none)"},
        {"KILN_EGRESS_ALLOWED_NETWORKS", "(none)"},
        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "(none)"},
        {"KILN_OUTBOUND_PER_TENANT", "2"},
        {"KILN_OUTBOUND_IN_REQUEST_MAX", "0"},
        {"KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS", "5"},
    };
    for (const auto& [variable, shown] : expected) {
        const auto* setting = registry.Find(variable);
        ASSERT_NE(setting, nullptr) << variable;
        EXPECT_EQ(setting->default_text, shown) << variable;
    }
}

TEST(ProcessSettings, ReadOnceFromTheEnvironmentAndTheFlags) {
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);
    const std::map<const settings::Setting*, std::string> flags = {{registry.Find("PORT"), "5005"}};
    app::ReadProcessSettings(registry,
                             From({{"PORT", "4500"},
                                   {"API_PREFIX", "api/v2"},
                                   {"KILN_WEBHOOK_RETRY_SCHEDULE", "0,1,1"},
                                   {"KILN_PROVIDER_BREAKER_FAILURES", "1"},
                                   {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                                   {"KILN_TRUSTED_PROXIES", "10.0.0.0/8 192.168.0.1"},
                                   {"STRIPE_API_KEY", "sk_test_platform"},
                                   {"KILN_STRIPE_BASE_URL", "http://127.0.0.1:9999"}}),
                             flags, process);
    EXPECT_EQ(process.server.port, 5005);  // the flag wins over PORT
    EXPECT_EQ(process.identity.api_prefix, "api/v2");
    EXPECT_EQ(process.webhooks.retry_schedule.max_attempts(), 3);
    EXPECT_EQ(process.provider_resilience.failure_threshold, 1);
    EXPECT_TRUE(process.egress.operator_policy.HasAllowedNetworks());
    EXPECT_FALSE(process.egress.tenant_policy.HasAllowedNetworks());
    EXPECT_EQ(process.egress.tenant_policy.setting(), "KILN_TENANT_EGRESS_ALLOWED_NETWORKS");
    EXPECT_TRUE(process.trusted_proxies.Contains(*egress::IpAddress::Parse("192.168.0.1")));
    EXPECT_EQ(process.platform_credentials.at("STRIPE_API_KEY"), "sk_test_platform");
    EXPECT_EQ(process.server.provider_base_urls.at("stripe"), "http://127.0.0.1:9999");
}

TEST(ProcessSettings, EveryKindOfBadValueStopsTheStartNamingItsVariable) {
    const std::vector<Environment> cases = {
        {{"PORT", "http"}},
        {{"KILN_HANDLER_THREADS", "0"}},
        {{"KILN_DATABASE_URL", "mysql://db"}},
        {{"KILN_LOG_LEVEL", "loud"}},
        {{"KILN_SEED_DEMO", "perhaps"}},
        {{"KILN_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal"}},
        {{"KILN_EGRESS_ALLOWED_NETWORKS", "10.0.0.0/33"}},
        {{"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "localhost"}},
        {{"KILN_WEBHOOK_RETRY_SCHEDULE", "0,,5"}},
        {{"KILN_WEBHOOK_MAX_IN_FLIGHT", "0"}},
        {{"KILN_PROVIDER_BACKOFF_BASE_MS", "-1"}},
        {{"KILN_PROVIDER_BREAKER_OPEN_MS", "soon"}},
        {{"KILN_STRIPE_BASE_URL", "ftp://stripe.test"}},
        {{"KILN_OUTBOUND_PER_TENANT", "0"}},
        {{"KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS", "30"}},
        {{"KILN_SMTP_URL", "mail.test:25"}},
        {{"KILN_PUBLIC_URL", "console.test"}},
        {{"KILN_INVITATION_TTL_HOURS", "0"}},
        {{"KILN_METRICS", "2"}},
        {{"OTEL_EXPORTER_OTLP_TIMEOUT", "0"}},
        {{"OTEL_TRACES_SAMPLER", "sometimes"}},
        {{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "2"}},
        {{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.5x"}},
        {{"KILN_SMTP_URL", "smtp://mail.test:25"}},  // needs KILN_SMTP_FROM
    };
    for (const auto& environment : cases) {
        app::ProcessSettings process;
        const auto registry = app::DeclareProcessSettings(process);
        const auto [named, message] =
            Refusal([&] { app::ReadProcessSettings(registry, From(environment), {}, process); });
        const std::string expected =
            environment.size() == 2 ? "OTEL_TRACES_SAMPLER_ARG"
            : environment.begin()->first == "KILN_SMTP_URL" && environment.begin()->second.starts_with("smtp://")
                ? "KILN_SMTP_FROM"
                : environment.begin()->first;
        EXPECT_EQ(named, expected) << message;
        EXPECT_TRUE(message.starts_with(expected + " ")) << message;
    }
}

// ---- generated documentation -----------------------------------------------------------------

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(SettingsDocumentation, TheTableHasOneRowPerSettingAndKeepsCellsWhole) {
    Sample s;
    std::string first;
    std::string second;
    auto registry = SampleRegistry(s);
    registry.Add(settings::Text("SAMPLE_A", first, "a | b"));
    registry.Add(settings::Text("SAMPLE_B", second, "a | b"));  // same default and meaning: one row
    const std::string table = settings::MarkdownTable(registry);
    EXPECT_NE(table.find("| `SAMPLE_PORT` | `--port` | `4000` | listen port |\n"), std::string::npos) << table;
    EXPECT_NE(table.find("| `SAMPLE_A`, `SAMPLE_B` |  | (none) | a \\| b |\n"), std::string::npos) << table;
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2 + 5);  // header, separator, five rows
}

TEST(ProcessSettings, TheReadmeTableIsTheRegistrys) {
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);
    const std::string readme = ReadFile(std::filesystem::path(KILN_SOURCE_DIR) / "README.md");
    constexpr std::string_view kBegin = "<!-- settings: begin -->\n";
    constexpr std::string_view kEnd = "<!-- settings: end -->";
    const auto begin = readme.find(kBegin);
    const auto end = readme.find(kEnd);
    ASSERT_NE(begin, std::string::npos) << "README.md has no settings table markers";
    ASSERT_NE(end, std::string::npos);
    const std::string table = readme.substr(begin + kBegin.size(), end - begin - kBegin.size());
    EXPECT_EQ(table, settings::MarkdownTable(registry))
        << "README.md's settings table differs from the registry: regenerate it with scripts/settings-table.sh";
}

TEST(ProcessSettings, HelpListsEverySetting) {
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);
    const std::string help = settings::HelpText(registry);
    for (const auto& setting : registry.settings()) {
        EXPECT_NE(help.find("  " + setting.variable + " "), std::string::npos) << setting.variable;
        if (!setting.flag.empty()) {
            EXPECT_NE(help.find("(" + setting.flag + ")"), std::string::npos) << setting.flag;
        }
    }
}

TEST(ProcessSettings, OnlyTheRegistryReadsTheEnvironment) {
    const std::filesystem::path source = std::filesystem::path(KILN_SOURCE_DIR) / "src";
    const std::filesystem::path allowed = source / "core" / "settings";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(source)) {
        if (!entry.is_regular_file()) continue;
        const auto& path = entry.path();
        if (path.parent_path() == allowed) continue;
        const std::string text = ReadFile(path);
        EXPECT_EQ(text.find("getenv"), std::string::npos) << path << " reads the environment: declare a setting";
    }
}

}  // namespace
}  // namespace kiln
