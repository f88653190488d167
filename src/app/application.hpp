#pragma once

#include <chrono>
#include <memory>

#include "app/modules.hpp"
#include "app/process_settings.hpp"
#include "auth/login_rate_limiter.hpp"
#include "core/config.hpp"
#include "core/secret_vault.hpp"
#include "db/database.hpp"
#include "egress/outbound_client.hpp"
#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/events/event_dispatcher.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/webhooks/webhook_service.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_runner.hpp"

namespace kiln::app {

/// The long-lived collaborators modules share, built once per process before routes and workers (the one
/// outbound HTTP client, the secret vault, the workflow action types, webhooks, integrations and the event
/// fan-out), and the modules made from them (app/modules.cpp). Construction declares every module's event types
/// and installs its workflow actions and event consumers; routes and job handlers are asked for by the process
/// that runs them.
class Services final {
  public:
    Services(const ProcessSettings& settings, auth::LoginRateLimiter& login_limiter,
             std::chrono::steady_clock::time_point started);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;
    Services(Services&&) = delete;
    Services& operator=(Services&&) = delete;
    ~Services() = default;

    const workflows::WorkflowRepository& workflow_rules() const { return workflow_rules_; }
    const webhooks::WebhookService& webhooks() const { return webhooks_; }
    const SecretVault& vault() const { return vault_; }
    /// Every route of every module, then the platform's (jobs, the OpenAPI document): the one list the server,
    /// OpenAPI and `kiln routes` share.
    void RegisterRoutes(http::RouteTable& routes) const;
    /// Every job kind this process can run.
    jobs::JobHandlerRegistry JobHandlers(const ProcessSettings& settings) const;

  private:
    egress::OutboundClient outbound_;
    SecretVault vault_;
    workflows::ActionRegistry workflow_actions_;
    workflows::WorkflowRepository workflow_rules_{vault_, workflow_actions_};
    workflows::WorkflowRunner workflow_runner_{workflow_actions_, workflow_rules_};
    webhooks::WebhookService webhooks_;
    integrations::IntegrationService integrations_;
    events::EventDispatcher dispatcher_;
    ModuleList modules_;  // last: made from the members above
};

/// Opens the configured database and applies pending migrations (and, on PostgreSQL, makes sure
/// the coming months' partitions exist).
std::unique_ptr<db::Database> OpenAndMigrate(const Config& config);

/// `kiln serve`: wires every module and serves until SIGINT/SIGTERM. Returns the exit code.
int Serve(const ProcessSettings& settings);

/// `kiln worker`: runs job workers only (no HTTP) until SIGINT/SIGTERM. Returns the exit code.
int RunWorkers(const ProcessSettings& settings);

}  // namespace kiln::app
