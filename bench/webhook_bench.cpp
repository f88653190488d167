// Webhook deliveries per second and enqueue-to-delivery latency, through the real path: events
// recorded in the outbox → dispatch jobs → one delivery per subscription → delivery workers →
// signed POSTs to a local keep-alive receiver.
//
//   kiln_webhook_bench [--database URL] [--subscriptions N] [--events E] [--rate R] [--workers W]
//
// Phase 1 (throughput): E events are recorded up front, then the job and delivery workers start;
// reports deliveries/s until all E×N arrived. Phase 2 (latency): events are recorded at R per
// second for a few seconds while everything runs; reports p50/p99 from the event's commit to its
// arrival at the receiver. Figures are for information: nothing asserts on them.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/secret_vault.hpp"
#include "core/uuid.hpp"
#include "db/migration.hpp"
#include "http_receiver.hpp"
#include "jobs/worker_pool.hpp"
#include "modules/events/event_dispatcher.hpp"
#include "modules/events/event_types.hpp"
#include "modules/tenancy/tenancy_repository.hpp"
#include "modules/webhooks/delivery_workers.hpp"
#include "modules/webhooks/webhook_service.hpp"
#include "modules/webhooks/webhook_signature.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace kiln;

double Percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

void RecordEvents(db::Database& db, const TenantId& tenant, int count) {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    const db::TenantScope scope(tx, tenant);
    for (int i = 0; i < count; ++i)
        events::EventOutbox::Record(scope, "bench.happened", "bench:" + NewUuidV7(),
                                    {{"sent_at_us", std::chrono::duration_cast<std::chrono::microseconds>(
                                                        std::chrono::system_clock::now().time_since_epoch())
                                                        .count()}},
                                    "");
    tx.Commit();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("Kiln webhook delivery benchmark");
    std::string url;
    int subscriptions = 1;
    int events = 2000;
    int rate = 200;
    size_t workers = 8;
    app.add_option("--database", url, "Database URL (default: a fresh SQLite file)");
    app.add_option("--subscriptions", subscriptions, "Subscriptions, all to the one receiver")->capture_default_str();
    app.add_option("--events", events, "Events of the throughput phase")->capture_default_str();
    app.add_option("--rate", rate, "Events per second of the latency phase")->capture_default_str();
    app.add_option("--workers", workers, "Delivery threads")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    log::Init("warn");

    std::filesystem::path temp;
    if (url.empty()) {
        temp = std::filesystem::temp_directory_path() / ("kiln-webhook-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(temp);
        url = "sqlite://" + (temp / "kiln.db").string();
    }
    auto db = db::Database::Open(url, workers + 6);
    db::ApplyMigrations(*db);
    events::EventTypeRegistry::Instance().Declare({"bench.happened", "A benchmark event", {{"type", "object"}}});

    std::mutex mutex;
    std::vector<double> latencies_ms;
    bool measuring = false;
    kiln::testing::HttpReceiver receiver([&](const kiln::testing::ReceivedRequest& request, size_t) {
        const auto now_us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        const auto sent_us = nlohmann::json::parse(request.body)["data"]["sent_at_us"].get<int64_t>();
        const std::lock_guard lock(mutex);
        if (measuring) latencies_ms.push_back(static_cast<double>(now_us - sent_us) / 1000.0);
        return kiln::testing::Reply{.status = 204};
    });

    webhooks::WebhookSettings settings;
    settings.workers = workers;
    settings.max_in_flight = std::max<size_t>(workers, 4);
    settings.rate_limit = 1000000;
    const SecretVault vault(crypto::RandomBytes(32));
    // The receiver stands in for a tenant's subscriber: a tenant-chosen destination.
    const egress::OutboundClient client(
        egress::EgressPolicy{},
        egress::EgressPolicy::FromSetting("127.0.0.0/8", "KILN_TENANT_EGRESS_ALLOWED_NETWORKS"));
    const webhooks::WebhookService service(settings, vault, client);

    TenantId tenant;
    {
        auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tenant = tenancy::TenancyRepository::CreateTenant(tx, "Bench", "bench-" + std::to_string(::getpid())).id;
        const db::TenantScope scope(tx, tenant);
        for (int i = 0; i < subscriptions; ++i) {
            const std::string secret = webhooks::NewSecret();
            service.subscriptions().Insert(scope, {.id = webhooks::SubscriptionId(NewUuidV7()),
                                                   .target_url = receiver.Url("/hook/" + std::to_string(i)),
                                                   .events = {"*"},
                                                   .secret = secret,
                                                   .secret_hint = webhooks::SecretHint(secret),
                                                   .created_at = Now(),
                                                   .updated_at = Now()});
        }
        tx.Commit();
    }

    events::EventDispatcher dispatcher;
    dispatcher.AddConsumer("webhooks", [&](const db::TenantScope& scope, const events::StoredEvent& event) {
        service.FanOut(scope, event);
    });
    jobs::JobHandlerRegistry handlers;
    dispatcher.RegisterJobs(handlers);
    jobs::WorkerPoolOptions job_options;
    job_options.threads = 2;
    job_options.idle_poll = std::chrono::milliseconds(10);
    if (db->dialect() == db::Dialect::kPostgres) job_options.listen_url = url;

    // Phase 1: a backlog of events, then everything starts.
    for (int done = 0; done < events; done += 500) RecordEvents(*db, tenant, std::min(500, events - done));
    const size_t expected = static_cast<size_t>(events) * static_cast<size_t>(subscriptions);
    jobs::WorkerPool job_workers(*db, handlers, job_options);
    webhooks::DeliveryWorkers deliveries(*db, service);
    const auto started = Clock::now();
    job_workers.Start();
    deliveries.Start();
    while (receiver.count() < expected) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

    // Phase 2: a steady stream.
    {
        const std::lock_guard lock(mutex);
        measuring = true;
    }
    const int ticks = 5 * 20;
    const int per_tick = std::max(1, rate / 20);
    for (int tick = 0; tick < ticks; ++tick) {
        const auto next = Clock::now() + std::chrono::milliseconds(50);
        RecordEvents(*db, tenant, per_tick);
        std::this_thread::sleep_until(next);
    }
    const size_t streamed = expected + static_cast<size_t>(ticks * per_tick) * static_cast<size_t>(subscriptions);
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (receiver.count() < streamed && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    deliveries.Stop();
    job_workers.Stop();

    const char* backend = db->dialect() == db::Dialect::kPostgres ? "postgres" : "sqlite";
    std::printf("backend=%s subscriptions=%d delivery_threads=%zu\n", backend, subscriptions, workers);
    std::printf("throughput: %zu deliveries in %.2f s = %.0f deliveries/s (backlog of %d events)\n", expected, seconds,
                static_cast<double>(expected) / seconds, events);
    const std::lock_guard lock(mutex);
    std::printf(
        "latency:    %d events/s for 5 s: p50 %.1f ms, p99 %.1f ms (event commit -> receiver, %zu deliveries)\n",
        per_tick * 20, Percentile(latencies_ms, 0.50), Percentile(latencies_ms, 0.99), latencies_ms.size());
    db.reset();
    if (!temp.empty()) std::filesystem::remove_all(temp);
    return 0;
}
