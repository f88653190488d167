// Pure logic of src/observability: W3C trace context, samplers, SQL classification, the OTLP JSON
// encoding, hand-written JSON strings, the summary window and lock-free route metrics.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/json_text.hpp"
#include "observability/metrics.hpp"
#include "observability/otlp_json.hpp"
#include "observability/request_window.hpp"
#include "observability/sampler.hpp"
#include "observability/trace_context.hpp"

namespace kiln::observability {
namespace {

constexpr const char* kExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesAndFormatsTheW3cExample) {
    const auto context = ParseTraceparent(kExample);
    ASSERT_TRUE(context.has_value());
    EXPECT_EQ(context->TraceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(context->SpanIdHex(), "00f067aa0ba902b7");
    EXPECT_TRUE(context->sampled);
    EXPECT_EQ(context->Traceparent(), kExample);
    const auto unsampled = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    ASSERT_TRUE(unsampled.has_value());
    EXPECT_FALSE(unsampled->sampled);
}

TEST(TraceContext, RefusesWhatTheStandardRefuses) {
    for (const char* bad : {
             "",
             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
             "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // uppercase
             "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace id
             "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero span id
             "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // forbidden version
             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",  // version 00 with more
             "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // wrong separator
             "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",     // not hex
         })
        EXPECT_FALSE(ParseTraceparent(bad).has_value()) << bad;
    // A later version may append fields; the known part is used.
    EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future").has_value());
}

TEST(TraceContext, TracestateIsKeptOnlyWhenPlausible) {
    EXPECT_EQ(SanitizeTracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    EXPECT_EQ(SanitizeTracestate(std::string(600, 'a')), "");
    EXPECT_EQ(SanitizeTracestate("a=b\nc=d"), "");
    std::string many;
    for (int i = 0; i < 33; ++i) many += (i ? "," : "") + std::string("k") + std::to_string(i) + "=v";
    EXPECT_EQ(SanitizeTracestate(many), "");
}

TEST(TraceContext, JobCarrierRoundTripsTraceparentAndTracestate) {
    auto context = *ParseTraceparent(kExample);
    context.tracestate = "vendor=value, other=x";
    const auto back = FromCarrier(ToCarrier(context));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->Traceparent(), kExample);
    EXPECT_EQ(back->tracestate, "vendor=value, other=x");
    EXPECT_EQ(FromCarrier(kExample)->tracestate, "");
    EXPECT_FALSE(FromCarrier("garbage").has_value());
}

TEST(TraceContext, NewIdsAreRandomAndNeverZero) {
    const auto a = NewTraceId();
    const auto b = NewTraceId();
    EXPECT_NE(a, b);
    EXPECT_NE(ToHex(NewSpanId()), "0000000000000000");
}

TEST(Sampler, SettingsOfTheOpenTelemetrySpecification) {
    const auto id = NewTraceId();
    const auto sampled_parent = *ParseTraceparent(kExample);
    auto unsampled_parent = sampled_parent;
    unsampled_parent.sampled = false;

    EXPECT_TRUE(Sampler::FromSetting("always_on", "").ShouldSample(&unsampled_parent, id));
    EXPECT_FALSE(Sampler::FromSetting("always_off", "").ShouldSample(&sampled_parent, id));
    EXPECT_TRUE(Sampler::FromSetting("always_off", "").always_off());
    EXPECT_TRUE(Sampler::FromSetting("parentbased_always_off", "").ShouldSample(&sampled_parent, id));
    EXPECT_FALSE(Sampler::FromSetting("parentbased_always_off", "").ShouldSample(nullptr, id));
    EXPECT_FALSE(Sampler::FromSetting("parentbased_always_on", "").ShouldSample(&unsampled_parent, id));
    EXPECT_TRUE(Sampler::FromSetting("parentbased_always_on", "").ShouldSample(nullptr, id));

    // traceidratio decides by the trace id alone: about half of many ids at 0.5.
    const auto half = Sampler::FromSetting("traceidratio", "0.5");
    int sampled = 0;
    for (int i = 0; i < 4000; ++i) sampled += half.ShouldSample(nullptr, NewTraceId()) ? 1 : 0;
    EXPECT_GT(sampled, 1700);
    EXPECT_LT(sampled, 2300);
    EXPECT_EQ(half.ShouldSample(nullptr, id), half.ShouldSample(nullptr, id));
    EXPECT_FALSE(Sampler::FromSetting("traceidratio", "0").ShouldSample(nullptr, id));

    EXPECT_THROW(Sampler::FromSetting("sometimes", ""), std::runtime_error);
    EXPECT_THROW(Sampler::FromSetting("traceidratio", "1.5"), std::runtime_error);
    EXPECT_THROW(Sampler::FromSetting("traceidratio", "half"), std::runtime_error);
}

TEST(DbOperationLabel, ComesFromTheFirstKeyword) {
    EXPECT_EQ(ClassifySql("SELECT 1"), DbOperation::kSelect);
    EXPECT_EQ(ClassifySql("\n    select id FROM t"), DbOperation::kSelect);
    EXPECT_EQ(ClassifySql("WITH x AS (SELECT 1) SELECT * FROM x"), DbOperation::kSelect);
    EXPECT_EQ(ClassifySql("  INSERT INTO t VALUES (1)"), DbOperation::kInsert);
    EXPECT_EQ(ClassifySql("UPDATE t SET a = 1"), DbOperation::kUpdate);
    EXPECT_EQ(ClassifySql("delete from t"), DbOperation::kDelete);
    EXPECT_EQ(ClassifySql("SET LOCAL kiln.tenant_id = 'x'"), DbOperation::kOther);
    EXPECT_EQ(ClassifySql(""), DbOperation::kOther);
    EXPECT_STREQ(DbOperationName(DbOperation::kOther), "other");
}

TEST(JsonText, EscapesAndRepairsUtf8) {
    std::string out;
    json_text::AppendString(out, "a\"b\\c\nd\x01 é \xff end");
    const auto parsed = nlohmann::json::parse(out);
    EXPECT_EQ(parsed.get<std::string>(), "a\"b\\c\nd\x01 é \xEF\xBF\xBD end");
    out.clear();
    json_text::AppendString(out, "\xED\xA0\x80");  // a UTF-16 surrogate encoded as UTF-8 is not valid
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(OtlpJson, EncodesResourceScopeAndSpansAsTheProtocolSays) {
    auto span = std::make_unique<SpanData>();
    span->context = *ParseTraceparent(kExample);
    span->context.tracestate = "v=1";
    span->parent_span_id = NewSpanId();
    span->name = "GET /api/v1/\"products\"";
    span->kind = SpanKind::kServer;
    span->start_unix_nanos = 1700000000000000000ULL;
    span->end_unix_nanos = 1700000000001000000ULL;
    span->attributes = {{"http.response.status_code", int64_t{200}},
                        {"url.path", std::string("/api/v1/products")},
                        {"ratio", 0.5},
                        {"flag", true}};
    span->error = true;
    span->status_message = "boom";
    std::vector<std::unique_ptr<SpanData>> spans;
    spans.push_back(std::move(span));
    const auto resource = ResourceAttributes("kiln", "deployment.environment=prod, team=erp%20core,service.name=x,bad");
    const auto body = nlohmann::json::parse(OtlpTraceRequest(resource, spans));

    const auto& rs = body["resourceSpans"][0];
    const auto& attributes = rs["resource"]["attributes"];
    EXPECT_EQ(attributes[0]["key"], "service.name");
    EXPECT_EQ(attributes[0]["value"]["stringValue"], "kiln");
    EXPECT_EQ(attributes[1]["key"], "deployment.environment");
    EXPECT_EQ(attributes[1]["value"]["stringValue"], "prod");
    EXPECT_EQ(attributes[2]["value"]["stringValue"], "erp core");
    const auto& out = rs["scopeSpans"][0]["spans"][0];
    EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "kiln");
    EXPECT_EQ(out["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(out["spanId"], "00f067aa0ba902b7");
    EXPECT_EQ(out["parentSpanId"].get<std::string>().size(), 16U);
    EXPECT_EQ(out["traceState"], "v=1");
    EXPECT_EQ(out["name"], "GET /api/v1/\"products\"");
    EXPECT_EQ(out["kind"], 2);
    EXPECT_EQ(out["startTimeUnixNano"], "1700000000000000000");
    EXPECT_EQ(out["endTimeUnixNano"], "1700000000001000000");
    EXPECT_EQ(out["attributes"][0]["value"]["intValue"], "200");
    EXPECT_EQ(out["attributes"][1]["value"]["stringValue"], "/api/v1/products");
    EXPECT_EQ(out["attributes"][2]["value"]["doubleValue"], 0.5);
    EXPECT_EQ(out["attributes"][3]["value"]["boolValue"], true);
    EXPECT_EQ(out["status"]["code"], 2);
    EXPECT_EQ(out["status"]["message"], "boom");
}

std::atomic<int64_t> g_window_second{1'000'000};  // the hand-moved clock of the window tests
int64_t WindowSecond() {
    return g_window_second.load();
}

TEST(RequestWindow, SummarisesRateErrorsLatencyAndUsers) {
    RequestWindow window(WindowSecond);
    for (int i = 0; i < 100; ++i)
        window.Record(i < 5 ? 500 : (i < 15 ? 404 : 200), i < 90 ? 0.002 : 0.2, "user-" + std::to_string(i % 7));
    window.Record(200, 0.001, "");
    EXPECT_EQ(window.Summarize(60).requests, 0U);  // the current second is not summarised
    ++g_window_second;
    const auto s = window.Summarize(60);
    EXPECT_EQ(s.requests, 101U);
    EXPECT_EQ(s.errors, 5U);
    EXPECT_EQ(s.client_errors, 10U);
    EXPECT_NEAR(s.error_rate, 5.0 / 101.0, 1e-9);
    EXPECT_NEAR(s.requests_per_second, 101.0 / 60.0, 1e-9);
    EXPECT_GT(s.p95_seconds, 0.1);  // the slowest tenth took 200 ms
    EXPECT_LE(s.p95_seconds, 0.25);
    EXPECT_EQ(s.active_users, 7U);
}

TEST(RouteMetrics, ConcurrentObservationsAreAllCountedWithoutALock) {
    auto& route = Metrics::Instance().ForRoute("GET", "/unit-test/{id}");
    constexpr int kThreads = 4;
    constexpr int kPerThread = 100000;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&route] {
            for (int i = 0; i < kPerThread; ++i) route.Observe(i % 10 == 0 ? 404 : 200, 0.0012);
        });
    }
    for (auto& thread : threads) thread.join();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - started).count() /
                      (kThreads * kPerThread);
    std::printf("RouteMetrics::Observe: %.0f ns per observation with %d threads\n", ns, kThreads);
    const std::string text = Metrics::Instance().Render();
    EXPECT_NE(
        text.find("kiln_http_requests_total{method=\"GET\",route=\"/unit-test/{id}\",status_code=\"200\"} 360000"),
        std::string::npos);
    EXPECT_NE(text.find("kiln_http_requests_total{method=\"GET\",route=\"/unit-test/{id}\",status_code=\"404\"} 40000"),
              std::string::npos);
}

}  // namespace
}  // namespace kiln::observability
