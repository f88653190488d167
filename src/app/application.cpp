#include "app/application.hpp"

#include <csignal>
#include <iostream>

#include "auth/authenticator.hpp"
#include "auth/login_rate_limiter.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/shutdown_signal.hpp"
#include "db/migration.hpp"
#include "http/dispatcher.hpp"
#include "http/idempotency.hpp"
#include "http/idempotency_purger.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "jobs/job_handler.hpp"
#include "jobs/job_queue.hpp"
#include "jobs/job_routes.hpp"
#include "jobs/worker_pool.hpp"
#include "modules/audit/audit_repository.hpp"
#include "modules/events/event_types.hpp"
#include "modules/tenancy/tenancy_repository.hpp"
#include "modules/webhooks/delivery_workers.hpp"
#include "observability/metrics.hpp"
#include "observability/tracer.hpp"

namespace kiln::app {

namespace {

/// On an empty database: a demo tenant and its owner, who is also the first platform
/// administrator (like the initial superuser of other servers). The password is printed once.
void SeedDemoIfEmpty(db::Database& db, const Config& config) {
    auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
    if (!tx.Exec("SELECT id FROM tenants LIMIT 1").empty()) return;
    const std::string password =
        !config.demo_password.empty() ? config.demo_password : crypto::Base64UrlEncode(crypto::RandomBytes(12));
    const std::string email = "owner@demo.kiln.local";
    const auto tenant = tenancy::TenancyRepository::CreateTenant(tx, "Demo Company", "demo");
    const auto user = tenancy::TenancyRepository::CreateUser(tx, email, "Demo Owner", password, true);
    tenancy::TenancyRepository::AddMember(db::TenantScope(tx, tenant.id), user.id, "owner");
    tx.Commit();
    const std::string base = "http://" + (config.address == "0.0.0.0" ? std::string("localhost") : config.address) +
                             ":" + std::to_string(config.port);
    std::cout << "\nKiln created a demo tenant on this empty database.\n"
              << "  Sign in:  POST " << base << "/" << config.api_prefix << "/auth/login\n"
              << "            email:    " << email << "\n"
              << "            password: " << password << "   (shown once; keep it)\n"
              << "  API:      " << base << "/" << config.api_prefix << "\n"
              << "  Docs:     " << base << "/api/docs\n"
              << std::endl;
}

jobs::WorkerPoolOptions WorkerOptions(const Config& config, const db::Database& db) {
    jobs::WorkerPoolOptions options;
    options.threads = config.worker_threads;
    options.lease = std::max(config.job_lease, std::chrono::seconds(1));
    options.backoff.base = config.job_retry_base;
    if (db.dialect() == db::Dialect::kPostgres) options.listen_url = config.EffectiveDatabaseUrl();
    return options;
}

/// Metrics on or off and the trace exporter, before any thread that could record exists.
void StartObservability(const observability::ObservabilitySettings& settings) {
    observability::Metrics::Instance().SetEnabled(settings.metrics_enabled);
    observability::Tracer::Instance().Configure(settings);
}

/// The platform credentials as read with the other settings, for the integrations module.
integrations::PlatformDefaults PlatformCredentials(const std::map<std::string, std::string>& values) {
    return integrations::PlatformDefaults([&values](const std::string& variable) -> std::optional<std::string> {
        const auto it = values.find(variable);
        if (it == values.end()) return std::nullopt;
        return it->second;
    });
}

}  // namespace

Services::Services(const ProcessSettings& settings, auth::LoginRateLimiter& login_limiter,
                   std::chrono::steady_clock::time_point started)
    : outbound_(settings.egress.operator_policy, settings.egress.tenant_policy),
      vault_(SecretVault::Load(settings.server.master_key, settings.server.data_dir)),
      webhooks_(settings.webhooks, vault_, outbound_),
      integrations_(outbound_, vault_, PlatformCredentials(settings.platform_credentials), settings.provider_resilience,
                    integrations::IntegrationSettings::FromConfig(settings.server)),
      modules_(BuiltInModules({.settings = settings,
                               .login_limiter = login_limiter,
                               .started = started,
                               .outbound = outbound_,
                               .vault = vault_,
                               .dispatcher = dispatcher_,
                               .workflow_actions = workflow_actions_,
                               .workflow_rules = workflow_rules_,
                               .workflow_runner = workflow_runner_,
                               .webhooks = webhooks_,
                               .integrations = integrations_})) {
    // Event types first: nothing may record an undeclared one, and a worker needs them without routes.
    for (const auto& module : modules_) module->DeclareEventTypes(events::EventTypeRegistry::Instance());
    for (const auto& module : modules_) module->RegisterWorkflowActions(workflow_actions_);
    for (const auto& module : modules_) module->RegisterEventConsumers(dispatcher_);
}

void Services::RegisterRoutes(http::RouteTable& routes) const {
    for (const auto& module : modules_) module->RegisterRoutes(routes);
    jobs::RegisterJobRoutes(routes);
    http::RegisterOpenApiRoutes(routes);
}

jobs::JobHandlerRegistry Services::JobHandlers(const ProcessSettings& settings) const {
    jobs::JobHandlerRegistry registry;
    for (const auto& module : modules_) module->RegisterJobs(registry);
    if (settings.server.test_job_kinds) jobs::RegisterTestJobKinds(registry);
    return registry;
}

std::unique_ptr<db::Database> OpenAndMigrate(const Config& config) {
    auto db = db::Database::Open(config.EffectiveDatabaseUrl(), config.db_pool_size);
    db::ApplyMigrations(*db);
    if (db->dialect() == db::Dialect::kPostgres) {
        auto tx = db->Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        tx.Exec("SELECT kiln_ensure_monthly_partitions('audit_logs', 1, 3)");
        tx.Exec("SELECT kiln_ensure_monthly_partitions('journal_entries', 1, 3)");
        tx.Exec("SELECT kiln_ensure_monthly_partitions('workflow_logs', 1, 3)");
        tx.Commit();
    }
    return db;
}

int Serve(const ProcessSettings& settings) {
    BlockShutdownSignals();  // before any thread exists, so only sigwait sees them
    const auto started = std::chrono::steady_clock::now();
    const Config& config = settings.server;
    StartObservability(settings.observability);
    auto db = OpenAndMigrate(config);
    if (config.seed_demo) SeedDemoIfEmpty(*db, config);
    observability::Metrics::Instance().SetQueueLengthSource([&db] {
        auto tx = db->Begin({db::Access::kReadOnly, db::Visibility::kSystem});
        return jobs::JobQueue::WaitingByKind(tx);
    });

    auth::Authenticator authenticator(*db);
    auth::LoginRateLimiter login_limiter(config.login_max_failures, config.login_failure_window);

    const Services services(settings, login_limiter, started);
    audit::AuditLogSink audit_sink(services.vault());
    // Rules saved before action secrets were sealed are sealed now (a no-op once done).
    services.workflow_rules().SealPlaintextSecrets(*db);
    http::RouteTable routes(config.api_prefix);
    services.RegisterRoutes(routes);

    // Workers start after the database is open and migrated, and stop only after the HTTP server
    // has drained, so requests finishing during shutdown can still enqueue (the jobs wait in the
    // table for the next start).
    const auto job_handlers = services.JobHandlers(settings);
    jobs::WorkerPool workers(*db, job_handlers, WorkerOptions(config, *db));
    if (config.worker_threads > 0) workers.Start();
    webhooks::DeliveryWorkers deliveries(*db, services.webhooks());
    deliveries.Start();

    // Stored replays of creating POSTs, sealed; the expired ones are purged in the background.
    const http::IdempotencyStore idempotency(services.vault(), config.idempotency_ttl);
    http::IdempotencyPurger idempotency_purger(*db);
    idempotency_purger.Start();
    http::Dispatcher dispatcher(routes, *db, authenticator, audit_sink, idempotency, config);
    dispatcher.set_access_log(settings.observability.access_log);
    http::Server server(config, dispatcher);
    server.Run();
    idempotency_purger.Stop();
    deliveries.Stop();
    workers.Stop();
    observability::Metrics::Instance().SetQueueLengthSource(nullptr);  // it uses the database
    observability::Tracer::Instance().Shutdown();                      // flushes the last spans
    log::Info("stopped");
    return 0;
}

int RunWorkers(const ProcessSettings& settings) {
    BlockShutdownSignals();  // before the worker threads exist, so only sigwait sees them
    const Config& config = settings.server;
    StartObservability(settings.observability);
    auto db = OpenAndMigrate(config);
    // No routes here: the modules' event types, consumers and jobs are all a worker needs. (The limiter is one
    // of the modules' collaborators; nothing signs in here.)
    auth::LoginRateLimiter login_limiter(config.login_max_failures, config.login_failure_window);
    const Services services(settings, login_limiter, std::chrono::steady_clock::now());
    const auto job_handlers = services.JobHandlers(settings);
    auto options = WorkerOptions(config, *db);
    options.threads = std::max<size_t>(options.threads, 1);  // a worker process with no workers is a mistake
    jobs::WorkerPool workers(*db, job_handlers, options);
    workers.Start();
    webhooks::DeliveryWorkers deliveries(*db, services.webhooks());
    deliveries.Start();
    log::Info("shutting down", {{"signal", WaitForShutdownSignal()}});
    deliveries.Stop();
    workers.Stop();  // waits for the running handlers
    observability::Tracer::Instance().Shutdown();
    log::Info("stopped");
    return 0;
}

}  // namespace kiln::app
