// What the integrations layer costs per call, without a provider's own latency:
//
//   kiln_provider_bench [--calls N] [--threads T] [--verifications V]
//
// 1. Outbound: N Stripe-shaped calls (PaymentIntent retrieve, a GET with auth and version headers)
//    through Connection → ProviderClient (limiter, breaker, timeout, logging) → the SSRF-guarded
//    OutboundClient → a local keep-alive receiver, from T threads; calls/s and p50/p99 latency.
// 2. Inbound: V verifications of each provider's webhook signature scheme (what POST /hooks does
//    before storing), per second.
// Figures are for information: nothing asserts on them.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <thread>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "http_receiver.hpp"
#include "modules/integrations/inbound/inbound_verification.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/integrations/providers/stripe/stripe_signature.hpp"
#include "modules/integrations/providers/twilio/twilio_signature.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace kiln;
using namespace kiln::integrations;

double Percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

Integration StripeIntegration(const std::string& base_url) {
    return {.id = IntegrationId(NewUuidV7()),
            .type = "stripe",
            .capability = "payments",
            .name = "bench",
            .config = {{"api_key", "sk_test_BenchKey0000000001"},
                       {"webhook_secret", "whsec_BenchSecret0001"},
                       {"rate_limit_per_second", 1000000}},
            // The local receiver stands in for api.stripe.com, as an operator's override would point it.
            .endpoint_override = {{"base_url", base_url}}};
}

void BenchOutbound(int calls, int threads) {
    testing::HttpReceiver receiver([](const testing::ReceivedRequest&, size_t) {
        return testing::Reply{200, R"({"id":"pi_Bench0001","object":"payment_intent","status":"succeeded"})", {}};
    });
    const egress::OutboundClient outbound(egress::EgressPolicy::FromSetting("127.0.0.0/8"));
    const SecretVault vault(crypto::RandomBytes(32));  // unused here: nothing is stored
    const IntegrationService service(outbound, vault, PlatformDefaults([](const std::string&) { return std::nullopt; }),
                                     ResilienceSettings{});
    const Integration integration = StripeIntegration(receiver.Url(""));
    std::vector<std::vector<double>> latencies(threads);
    const auto started = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            const auto connection = service.Connect(integration);
            for (int i = t; i < calls; i += threads) {
                const auto begin = Clock::now();
                connection->payments().Retrieve("pi_Bench0001");
                latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
            }
        });
    for (auto& worker : workers) worker.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::vector<double> all;
    for (const auto& part : latencies) all.insert(all.end(), part.begin(), part.end());
    std::printf("outbound  %d calls, %d threads: %.0f calls/s, p50 %.3f ms, p99 %.3f ms\n", calls, threads,
                calls / seconds, Percentile(all, 0.5), Percentile(all, 0.99));
}

template <typename Verify>
void BenchVerify(const char* name, int count, Verify verify) {
    const auto started = Clock::now();
    size_t events = 0;
    for (int i = 0; i < count; ++i) events += verify().size();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("inbound   %-8s %d verifications: %.0f/s (%.1f us each)\n", name, count, count / seconds,
                seconds * 1e6 / count);
    if (events != static_cast<size_t>(count)) std::printf("          (unexpected: %zu events)\n", events);
}

void BenchInbound(int count) {
    const std::string body =
        R"({"id":"evt_Bench0001","type":"payment_intent.succeeded","data":{"object":{"id":"pi_Bench0001"}}})";
    const auto now = std::chrono::system_clock::now();
    const int64_t t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const ProviderConfig stripe(IntegrationId(NewUuidV7()), "stripe", "test",
                                {{"webhook_secret", "whsec_BenchSecret0001"}}, {});
    http::Request stripe_request{.method = http::Method::kPost, .path = "/api/v1/hooks/x", .body = body};
    stripe_request.headers = {
        {"stripe-signature", signatures::StripeSignatureHeader("whsec_BenchSecret0001", body, t)}};
    BenchVerify("stripe", count, [&] { return VerifyInbound(stripe, stripe_request, "", now); });

    const std::string url = "https://kiln.example/api/v1/hooks/x";
    const std::vector<std::pair<std::string, std::string>> params = {
        {"MessageSid", "SM" + std::string(32, 'a')}, {"MessageStatus", "delivered"}, {"To", "+15551234567"}};
    const std::string token(32, 'f');
    const ProviderConfig twilio(IntegrationId(NewUuidV7()), "twilio", "test",
                                {{"auth_token", token}, {"status_callback_url", url}}, {});
    http::Request twilio_request{
        .method = http::Method::kPost,
        .path = "/api/v1/hooks/x",
        .body = "MessageSid=SM" + std::string(32, 'a') + "&MessageStatus=delivered&To=%2B15551234567"};
    twilio_request.headers = {{"x-twilio-signature", signatures::TwilioSignature(token, url, params)}};
    BenchVerify("twilio", count, [&] { return VerifyInbound(twilio, twilio_request, url, now); });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("Integrations benchmark: outbound call overhead and inbound signature verification");
    int calls = 20000;
    int threads = 4;
    int verifications = 100000;
    app.add_option("--calls", calls)->capture_default_str();
    app.add_option("--threads", threads)->capture_default_str();
    app.add_option("--verifications", verifications)->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    log::Init("warn");  // one info line per provider call would measure the log, not the call
    BenchOutbound(calls, threads);
    BenchInbound(verifications);
    return 0;
}
