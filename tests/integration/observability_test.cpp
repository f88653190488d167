// Observability through the real binary: the metrics endpoint passes `promtool check metrics`, a
// real Prometheus scrapes a running Kiln and answers every dashboard panel's query, spans arrive
// at an OTLP receiver with request → job → job → outbound call parent links and the outbound
// request carries `traceparent`, log lines are JSON and carry the request's trace id, and the
// health report and console summary show what they promise.
//
// promtool and prometheus come from the Debian package `prometheus` (scripts/install-deps.sh);
// the tests that need them fail, never skip, when they are missing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"
#include "http_receiver.hpp"
#include "test_helpers.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// The executable's full path from PATH, or "" when it is not installed.
std::string FindProgram(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

/// Runs a shell command and returns its exit status with the combined output.
int RunShell(const std::string& command, std::string& output) {
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    return WEXITSTATUS(::pclose(pipe));
}

std::string TempDir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

json ReadJsonFile(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read " + path);
    return json::parse(file);
}

/// A real Prometheus on loopback, scraping one target every second; stopped and its data removed
/// when destroyed.
class PrometheusProcess {
  public:
    /// Prometheus cannot listen on port 0 and say which port it got, so it is given a port that was free a moment
    /// ago; if another process took it in between, Prometheus exits at once and is started again on another.
    PrometheusProcess(const std::string& binary, int target_port) : dir_(TempDir("kiln-prometheus-")) {
        const std::string config = dir_ + "/prometheus.yml";
        std::ofstream(config) << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                              << "scrape_configs:\n  - job_name: kiln\n    metrics_path: /api/v1/metrics\n"
                              << "    static_configs:\n      - targets: ['127.0.0.1:" << target_port << "']\n";
        for (int attempt = 0; attempt < 5; ++attempt) {
            port_ = RefusingPort().port();
            Start(binary, config);
            if (Listening()) return;
            Reap();
        }
        throw std::runtime_error("prometheus did not start listening: " + Log());
    }
    ~PrometheusProcess() {
        if (pid_ > 0) ::kill(pid_, SIGTERM);
        Reap();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    PrometheusProcess(const PrometheusProcess&) = delete;
    PrometheusProcess& operator=(const PrometheusProcess&) = delete;

    std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string Log() const {
        std::ifstream file(dir_ + "/prometheus.log");
        return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    }

  private:
    void Start(const std::string& binary, const std::string& config) {
        const std::vector<std::string> args = {
            binary, "--config.file=" + config, "--storage.tsdb.path=" + dir_ + "/data",
            "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"};
        const std::string log = dir_ + "/prometheus.log";
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            FILE* out = std::freopen(log.c_str(), "w", stdout);
            if (out != nullptr) ::dup2(::fileno(stdout), STDERR_FILENO);
            std::vector<char*> argv;
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(binary.c_str(), argv.data());
            ::_exit(127);
        }
    }
    /// True once something accepts connections on the port while Prometheus still runs; false when it exited.
    bool Listening() {
        return Eventually(
                   [&] {
                       if (pid_ <= 0 || ::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                           pid_ = -1;
                           return true;  // exited: stop waiting
                       }
                       const int sock = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                       sockaddr_in addr{};
                       addr.sin_family = AF_INET;
                       addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                       addr.sin_port = htons(static_cast<uint16_t>(port_));
                       const bool connected = ::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
                       ::close(sock);
                       return connected;
                   },
                   std::chrono::seconds(30)) &&
               pid_ > 0;
    }
    void Reap() {
        if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

std::string UrlEncode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

class Observability : public ApiTest {
  protected:
    std::string CreateProduct(const HeaderList& extra = {}) {
        static int counter = 0;
        HeaderList headers = As(a_owner_);
        headers.insert(headers.end(), extra.begin(), extra.end());
        const std::string sku = "obs-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        const auto response = http_.Post(
            Url("/products"), json{{"sku", sku}, {"name", "Product " + sku}, {"unit_price", 1200}, {"currency", "EUR"}},
            headers);
        EXPECT_EQ(response.status, 201) << response.body;
        return response.Json().value("id", "");
    }

    /// Some of everything the dashboards show: reads, writes (events, jobs), 4xx.
    void Traffic(int rounds) {
        for (int i = 0; i < rounds; ++i) {
            EXPECT_EQ(http_.Get(Url("/products?limit=5"), As(a_owner_)).status, 200);
            EXPECT_EQ(http_.Get(Url("/products/00000000-0000-7000-8000-000000000000"), As(a_owner_)).status, 404);
            EXPECT_EQ(http_.Get(Url("/products")).status, 401);
            if (i % 5 == 0) CreateProduct();
        }
    }
};

TEST_F(Observability, PromtoolAcceptsTheMetricsOutput) {
    const std::string promtool = FindProgram("promtool");
    ASSERT_FALSE(promtool.empty())
        << "promtool is missing: install the Debian package prometheus (scripts/install-deps.sh)";
    Traffic(5);
    const auto response = http_.Get(Url("/metrics"));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0U)
        << response.Header("content-type");
    const std::string dir = TempDir("kiln-metrics-");
    std::ofstream(dir + "/metrics.txt") << response.body;
    std::string output;
    const int status = RunShell(promtool + " check metrics < " + dir + "/metrics.txt", output);
    std::filesystem::remove_all(dir);
    EXPECT_EQ(status, 0) << output;
    EXPECT_EQ(output.find("WARNING"), std::string::npos) << output;

    // What the issue lists is there, with route templates and no ids.
    for (const char* name : {"kiln_http_request_duration_seconds_bucket", "kiln_http_requests_total",
                             "kiln_http_errors_total", "kiln_db_query_duration_seconds_bucket", "kiln_db_queries_total",
                             "kiln_job_queue_length", "kiln_jobs_processed_total", "kiln_job_duration_seconds_bucket",
                             "kiln_webhook_deliveries_total", "kiln_outbound_requests_total",
                             "kiln_invoices_issued_total", "kiln_payments_succeeded_total", "kiln_workflow_runs_total",
                             "kiln_module_errors_total", "process_cpu_seconds_total", "process_resident_memory_bytes",
                             "process_open_fds", "process_start_time_seconds", "kiln_build_info{version="})
        EXPECT_NE(response.body.find(name), std::string::npos) << name;
    EXPECT_NE(response.body.find("route=\"/api/v1/products/{id}\",status_code=\"404\""), std::string::npos);
    EXPECT_EQ(response.body.find("00000000-0000-7000-8000-000000000000"), std::string::npos);
    EXPECT_EQ(response.body.find(a_tenant_id_), std::string::npos);
    EXPECT_NE(response.body.find("le=\"0.0005\""), std::string::npos);
}

TEST_F(Observability, PrometheusScrapesKilnAndEveryDashboardQueryHasData) {
    const std::string binary = FindProgram("prometheus");
    ASSERT_FALSE(binary.empty())
        << "prometheus is missing: install the Debian package prometheus (scripts/install-deps.sh)";
    const std::string promtool = FindProgram("promtool");
    ASSERT_FALSE(promtool.empty()) << "promtool is missing";
    std::string output;
    ASSERT_EQ(RunShell(promtool + " check config " KILN_SOURCE_DIR "/deploy/prometheus/prometheus.yml", output), 0)
        << output;

    PrometheusProcess prometheus(binary, server_->port());
    HttpClient client;
    ASSERT_TRUE(Eventually(
        [&] {
            try {
                return client.Get(prometheus.Url("/-/ready")).status == 200;
            } catch (const std::exception&) {
                return false;
            }
        },
        30s))
        << prometheus.Log();

    // Traffic while Prometheus takes several scrapes, so every rate() has two samples or more.
    const auto until = std::chrono::steady_clock::now() + 8s;
    while (std::chrono::steady_clock::now() < until) Traffic(3);
    ASSERT_TRUE(Eventually(
        [&] {
            const auto r =
                client.Get(prometheus.Url("/api/v1/query?query=" + UrlEncode("count_over_time(up{job=\"kiln\"}[1m])")));
            if (r.status != 200) return false;
            const json body = r.Json();
            const json& result = body["data"]["result"];
            return !result.empty() && std::stod(result[0]["value"][1].get<std::string>()) >= 5 &&
                   result[0]["value"].size() == 2;
        },
        30s))
        << prometheus.Log();
    const auto up = client.Get(prometheus.Url("/api/v1/query?query=up"));
    ASSERT_NE(up.body.find("\"1\"]"), std::string::npos) << up.body;

    int checked = 0;
    for (const char* file : {"api-performance.json", "queue-module-metrics.json"}) {
        const json dashboard = ReadJsonFile(std::string(KILN_SOURCE_DIR) + "/deploy/grafana/" + file);
        for (const auto& panel : dashboard.at("panels")) {
            for (const auto& target : panel.at("targets")) {
                std::string expr = target.at("expr");
                // Grafana's own variable; Prometheus needs a literal range (≥ 4 scrapes at 1 s).
                for (size_t at = expr.find("$__rate_interval"); at != std::string::npos;
                     at = expr.find("$__rate_interval"))
                    expr.replace(at, std::string("$__rate_interval").size(), "30s");
                const auto response = client.Get(prometheus.Url("/api/v1/query?query=" + UrlEncode(expr)));
                const std::string where = std::string(file) + " / " + panel.value("title", "") + ": " + expr;
                ASSERT_EQ(response.status, 200) << where << "\n" << response.body;
                const json body = response.Json();
                EXPECT_EQ(body["status"], "success") << where << "\n" << response.body;
                EXPECT_FALSE(body["data"]["result"].empty()) << where << " returned no series";
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 20);
}

TEST(ObservabilityLogs, LogLinesAreJsonAndCarryTheRequestsTraceId) {
    // The suites' shared server logs warnings only; access lines are info.
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword}, {"KILN_LOG_LEVEL", "info"}});
    server.Start();
    HttpClient http;
    const std::string api = server.base_url() + "/api/v1";
    const auto login =
        http.Post(api + "/auth/login", json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string token = login.Json()["token"];
    const std::string tenant_id = http.Get(api + "/tenant", {{"Authorization", "Bearer " + token}}).Json()["id"];

    const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    const auto response =
        http.Get(api + "/products?limit=1", {{"Authorization", "Bearer " + token},
                                             {"traceparent", "00-" + trace_id + "-00f067aa0ba902b7-01"},
                                             {"X-Request-Id", "obs-log-test-1"}});
    ASSERT_EQ(response.status, 200);
    std::istringstream lines(server.Output());
    std::string line;
    int json_lines = 0;
    bool found = false;
    while (std::getline(lines, line)) {
        // The one non-JSON output is the demo tenant's banner on stdout, printed once at first start.
        if (line.empty() || line.rfind("Kiln created", 0) == 0 || line.rfind("  ", 0) == 0) continue;
        json parsed;
        ASSERT_NO_THROW(parsed = json::parse(line)) << line;
        ASSERT_TRUE(parsed.is_object()) << line;
        EXPECT_TRUE(parsed.contains("time") && parsed.contains("level") && parsed.contains("message")) << line;
        ++json_lines;
        if (parsed.value("request_id", "") == "obs-log-test-1") {
            found = true;
            EXPECT_EQ(parsed["message"], "request") << line;
            EXPECT_EQ(parsed["trace_id"], trace_id) << line;
            EXPECT_EQ(parsed["span_id"].get<std::string>().size(), 16U) << line;
            EXPECT_NE(parsed["span_id"], "00f067aa0ba902b7") << "the server span is a child of the caller's" << line;
            EXPECT_EQ(parsed["tenant_id"], tenant_id) << line;
            EXPECT_EQ(parsed["route"], "/api/v1/products") << line;
            EXPECT_EQ(parsed["method"], "GET") << line;
            EXPECT_EQ(parsed["status"], 200) << line;
            EXPECT_TRUE(parsed.contains("duration_ms")) << line;
        }
    }
    EXPECT_GT(json_lines, 3);
    EXPECT_TRUE(found) << "no access log line for the request:\n" << server.Output();
}

// Public /health tells a probe what is up and nothing else (issue 12, item 13); the details are
// the platform administrators' summary.
TEST_F(Observability, HealthReportsComponentsAndSummaryNeedsThePlatformPermission) {
    const auto health = http_.Get(Url("/health"));
    ASSERT_EQ(health.status, 200) << health.body;
    const json body = health.Json();
    EXPECT_EQ(body["status"], "ok");
    for (const char* detail : {"version", "uptime_seconds", "environment"})
        EXPECT_FALSE(body.contains(detail)) << detail << " in " << body.dump();
    const json& components = body["components"];
    EXPECT_EQ(components["database"]["status"], "up");
    EXPECT_EQ(components["migrations"]["status"], "up");
    EXPECT_EQ(components["job_workers"]["status"], "up");
    EXPECT_TRUE(components.contains("scheduler"));
    EXPECT_EQ(components["trace_exporter"]["status"], "disabled");
    for (const auto& [name, component] : components.items())
        EXPECT_EQ(component.size(), 1U) << name << " shows more than its status: " << component.dump();
    EXPECT_EQ(http_.Get(Url("/health/live")).status, 200);
    EXPECT_EQ(http_.Get(Url("/health/ready")).status, 200);

    Traffic(4);
    EXPECT_EQ(http_.Get(Url("/observability/summary"), As(b_owner_)).status, 403);
    EXPECT_EQ(http_.Get(Url("/observability/summary")).status, 401);
    EXPECT_EQ(http_.Get(Url("/observability/summary?minutes=9"), As(a_owner_)).status, 422);
    // The current second is not counted: poll until the traffic's second has closed, not for a fixed time.
    json s;
    ASSERT_TRUE(Eventually([&] {
        const auto summary = http_.Get(Url("/observability/summary?minutes=1"), As(a_owner_));
        if (summary.status != 200) return false;
        s = summary.Json();
        return s["traffic"]["requests"].get<int>() >= 12 && s["traffic"]["client_errors"].get<int>() >= 8;
    })) << s.dump();
    EXPECT_EQ(s["components"]["database"]["status"], "up");
    EXPECT_TRUE(s["components"]["database"].contains("latency_ms"));
    EXPECT_TRUE(s["components"].contains("trace_exporter"));
    EXPECT_FALSE(s["version"].get<std::string>().empty());
    EXPECT_TRUE(s.contains("uptime_seconds") && s.contains("environment"));
    const json& traffic = s["traffic"];
    EXPECT_EQ(traffic["window_seconds"], 60);
    EXPECT_GE(traffic["requests"].get<int>(), 12);
    EXPECT_GT(traffic["requests_per_second"].get<double>(), 0);
    EXPECT_GE(traffic["client_errors"].get<int>(), 8);
    EXPECT_GT(traffic["p95_latency_ms"].get<double>(), 0);
    EXPECT_GE(traffic["active_users"].get<int>(), 1);
}

TEST(ObservabilityProcess, MetricsTokenIsRequiredWhenSet) {
    KilnProcess server({{"KILN_METRICS_TOKEN", "scrape-secret"}, {"KILN_DEMO_PASSWORD", kDemoPassword}});
    server.Start();
    HttpClient http;
    const std::string url = server.base_url() + "/api/v1/metrics";
    EXPECT_EQ(http.Get(url).status, 401);
    EXPECT_EQ(http.Get(url, {{"Authorization", "Bearer wrong"}}).status, 401);
    const auto ok = http.Get(url, {{"Authorization", "Bearer scrape-secret"}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_NE(ok.body.find("kiln_build_info"), std::string::npos);
}

/// The demo owner's session (a platform administrator) on `server`.
HeaderList DemoOwnerAuth(const KilnProcess& server, HttpClient& http) {
    const auto login = http.Post(server.base_url() + "/api/v1/auth/login",
                                 json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    EXPECT_EQ(login.status, 200) << login.body;
    return {{"Authorization", "Bearer " + login.Json().value("token", "")}};
}

/// Every span of every OTLP export the receiver got, by span id.
std::map<std::string, json> ReceivedSpans(const HttpReceiver& collector, json* resource = nullptr) {
    std::map<std::string, json> spans;
    for (const auto& request : collector.requests()) {
        const json body = json::parse(request.body);
        for (const auto& resource_spans : body.at("resourceSpans")) {
            if (resource != nullptr) *resource = resource_spans.at("resource");
            for (const auto& scope : resource_spans.at("scopeSpans"))
                for (const auto& span : scope.at("spans")) spans[span.at("spanId").get<std::string>()] = span;
        }
    }
    return spans;
}

std::string Attribute(const json& span, const std::string& key) {
    for (const auto& attribute : span.value("attributes", json::array())) {
        if (attribute["key"] != key) continue;
        const json& value = attribute["value"];
        if (value.contains("stringValue")) return value["stringValue"];
        if (value.contains("intValue")) return value["intValue"];
    }
    return "";
}

TEST(ObservabilityTracing, SpansLinkRequestToJobsToOutboundCallAndTraceparentReachesTheReceiver) {
    HttpReceiver collector;  // answers 200 to every export
    HttpReceiver target([](const ReceivedRequest&, size_t) { return Reply{.status = 204}; });
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url("")},
                        {"OTEL_BSP_SCHEDULE_DELAY", "100"},
                        {"OTEL_SERVICE_NAME", "kiln-under-test"},
                        {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,team=erp%20core"}});
    server.Start();
    HttpClient http;
    const std::string api = server.base_url() + "/api/v1";
    const auto login =
        http.Post(api + "/auth/login", json{{"email", "owner@demo.kiln.local"}, {"password", kDemoPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
    const HeaderList auth = {{"Authorization", "Bearer " + login.Json()["token"].get<std::string>()}};
    const auto rule =
        http.Post(api + "/workflows",
                  json{{"name", "Tell the warehouse"},
                       {"trigger_event", "product.created"},
                       {"actions", {{{"type", "http_request"}, {"params", {{"url", target.Url("/hook")}}}}}}},
                  auth);
    ASSERT_EQ(rule.status, 201) << rule.body;

    const std::string trace_id = "0af7651916cd43dd8448eb211c80319c";
    const std::string caller_span = "b7ad6b7169203331";
    HeaderList headers = auth;
    headers.emplace_back("traceparent", "00-" + trace_id + "-" + caller_span + "-01");
    headers.emplace_back("tracestate", "vendor=value");
    const auto created =
        http.Post(api + "/products",
                  json{{"sku", "traced-1"}, {"name", "Traced"}, {"unit_price", 100}, {"currency", "EUR"}}, headers);
    ASSERT_EQ(created.status, 201) << created.body;

    ASSERT_TRUE(target.WaitFor(1, 20s)) << server.Output();
    const auto delivered = target.requests().front();
    const auto traceparent = delivered.Header("traceparent");
    ASSERT_TRUE(traceparent.has_value());
    ASSERT_EQ(traceparent->size(), 55U) << *traceparent;
    EXPECT_EQ(traceparent->substr(3, 32), trace_id);
    EXPECT_EQ(traceparent->substr(53), "01");
    EXPECT_EQ(delivered.Header("tracestate"), "vendor=value");
    const std::string outbound_span_id = traceparent->substr(36, 16);

    // A parent ends (and is exported) after its children: wait for the whole chain up to the caller.
    std::map<std::string, json> spans;
    const auto chain_complete = [&] {
        spans = ReceivedSpans(collector);
        std::string id = outbound_span_id;
        for (int depth = 0; depth < 4; ++depth) {
            if (!spans.contains(id)) return false;
            id = spans.at(id).value("parentSpanId", "");
        }
        return id == caller_span;
    };
    ASSERT_TRUE(Eventually(chain_complete, 20s)) << "spans received: " << spans.size();

    // Walk up from the outbound call: workflow job → dispatch job → server span → the caller.
    const json& outbound = spans.at(outbound_span_id);
    EXPECT_EQ(outbound["kind"], 3);
    EXPECT_EQ(outbound["traceId"], trace_id);
    EXPECT_EQ(Attribute(outbound, "http.request.method"), "POST");
    EXPECT_EQ(Attribute(outbound, "http.response.status_code"), "204");
    ASSERT_TRUE(spans.contains(outbound.value("parentSpanId", "")));
    const json& workflow_job = spans.at(outbound["parentSpanId"].get<std::string>());
    EXPECT_EQ(workflow_job["name"], "workflow.run process");
    EXPECT_EQ(workflow_job["kind"], 5);
    ASSERT_TRUE(spans.contains(workflow_job.value("parentSpanId", "")));
    const json& dispatch_job = spans.at(workflow_job["parentSpanId"].get<std::string>());
    EXPECT_EQ(dispatch_job["name"], "event.dispatch process");
    ASSERT_TRUE(spans.contains(dispatch_job.value("parentSpanId", "")));
    const json& request = spans.at(dispatch_job["parentSpanId"].get<std::string>());
    EXPECT_EQ(request["kind"], 2);
    EXPECT_EQ(request["name"], "POST /api/v1/products");
    EXPECT_EQ(request["parentSpanId"], caller_span);
    EXPECT_EQ(request["traceId"], trace_id);
    EXPECT_EQ(request["traceState"], "vendor=value");
    EXPECT_EQ(Attribute(request, "http.route"), "/api/v1/products");
    EXPECT_EQ(Attribute(request, "http.request.method"), "POST");
    EXPECT_EQ(Attribute(request, "http.response.status_code"), "201");
    EXPECT_EQ(Attribute(request, "url.path"), "/api/v1/products");

    // The request's database work is a child span with the database semantic conventions.
    bool db_child = false;
    for (const auto& [id, span] : spans) {
        if (span.value("parentSpanId", "") == request["spanId"] && span["name"] == "db.transaction") {
            db_child = true;
            EXPECT_EQ(Attribute(span, "db.system"), server.uses_postgres() ? "postgresql" : "sqlite");
            EXPECT_EQ(Attribute(span, "db.operation"), "INSERT");
        }
    }
    EXPECT_TRUE(db_child);

    json resource;
    ReceivedSpans(collector, &resource);
    EXPECT_EQ(Attribute(resource, "service.name"), "kiln-under-test");
    EXPECT_EQ(Attribute(resource, "deployment.environment"), "test");
    EXPECT_EQ(Attribute(resource, "team"), "erp core");
    EXPECT_EQ(collector.requests().front().target, "/v1/traces");

    const auto health = http.Get(api + "/health").Json();
    EXPECT_EQ(health["components"]["trace_exporter"]["status"], "up");
    EXPECT_EQ(health.dump().find(collector.Url("")), std::string::npos) << "the public health shows the endpoint";
    const auto summary = http.Get(api + "/observability/summary", auth).Json();
    EXPECT_EQ(summary["components"]["trace_exporter"]["endpoint"], collector.Url("/v1/traces"));
}

// Issue 12, item 13: a webhook URL often carries its secret in the path (Slack's
// /services/T…/B…/<token>); an outbound span records only the origin, never the path or query.
// The call here is a workflow's http_request to such a URL (it runs in the event's trace); every
// outbound call, webhook deliveries included, goes through the same client and span.
TEST(ObservabilityTracing, OutboundSpansRecordOnlyTheOrigin) {
    HttpReceiver collector;
    HttpReceiver target([](const ReceivedRequest&, size_t) { return Reply{.status = 204}; });
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"KILN_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"KILN_TENANT_EGRESS_ALLOWED_NETWORKS", "127.0.0.0/8"},
                        {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url("")},
                        {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
    server.Start();
    HttpClient http;
    const HeaderList auth = DemoOwnerAuth(server, http);
    const std::string api = server.base_url() + "/api/v1";
    const std::string path_secret = "XoxbPathSecret" + std::to_string(::getpid());
    const std::string query_secret = "QuerySecret" + std::to_string(::getpid());
    const std::string hook = "/services/T0001/B0002/" + path_secret;
    const auto rule = http.Post(
        api + "/workflows",
        json{{"name", "Post to the chat"},
             {"trigger_event", "product.created"},
             {"actions",
              {{{"type", "http_request"}, {"params", {{"url", target.Url(hook + "?token=" + query_secret)}}}}}}},
        auth);
    ASSERT_EQ(rule.status, 201) << rule.body;
    ASSERT_EQ(http.Post(api + "/products",
                        json{{"sku", "span-origin"}, {"name", "Origin"}, {"unit_price", 1}, {"currency", "EUR"}}, auth)
                  .status,
              201);
    ASSERT_TRUE(target.WaitFor(1, 20s)) << server.Output();
    EXPECT_EQ(target.requests().front().target, hook + "?token=" + query_secret);

    json delivery;
    ASSERT_TRUE(Eventually(
        [&] {
            for (const auto& [id, span] : ReceivedSpans(collector))
                if (span["kind"] == 3 && Attribute(span, "kiln.outbound.purpose") == "workflow") delivery = span;
            return !delivery.is_null();
        },
        20s))
        << server.Output();
    const std::string origin = target.Url("");
    EXPECT_EQ(Attribute(delivery, "kiln.outbound.origin"), origin);
    EXPECT_EQ(Attribute(delivery, "server.address"), "127.0.0.1");
    EXPECT_EQ(Attribute(delivery, "server.port"), origin.substr(origin.rfind(':') + 1));
    for (const auto& request : collector.requests()) {
        for (const std::string& part : {path_secret, query_secret, std::string("/services/T0001")})
            EXPECT_EQ(request.body.find(part), std::string::npos) << part << " exported in a span";
    }
}

TEST(ObservabilityTracing, ASlowCollectorNeverSlowsRequestsAndDropsAreCounted) {
    // A collector that holds every export for longer than the export timeout.
    HttpReceiver collector([](const ReceivedRequest&, size_t) { return Reply{.status = 200, .delay = 10s}; });
    KilnProcess server({{"KILN_DEMO_PASSWORD", kDemoPassword},
                        {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.Url("")},
                        {"OTEL_EXPORTER_OTLP_TIMEOUT", "3000"},
                        {"OTEL_BSP_MAX_QUEUE_SIZE", "8"},
                        {"OTEL_BSP_SCHEDULE_DELAY", "50"}});
    server.Start();
    HttpClient http;
    ASSERT_TRUE(collector.WaitFor(1, 10s));  // the exporter is now stuck in its first export
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 60; ++i) ASSERT_EQ(http.Get(server.base_url() + "/api/v1/health/live").status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    const auto metrics = http.Get(server.base_url() + "/api/v1/metrics").body;
    const std::string key = "kiln_trace_spans_total{outcome=\"dropped\"} ";
    const auto at = metrics.find(key);
    ASSERT_NE(at, std::string::npos) << metrics;
    EXPECT_GE(std::stod(metrics.substr(at + key.size())), 50);
    const auto summary =
        http.Get(server.base_url() + "/api/v1/observability/summary", DemoOwnerAuth(server, http)).Json();
    EXPECT_GE(summary["components"]["trace_exporter"]["dropped_spans"].get<int>(), 50);
}

}  // namespace
}  // namespace kiln::testing
