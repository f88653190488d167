#pragma once

#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/workflows/action_registry.hpp"

namespace kiln::integrations {

/// Everything the integrations module contributes to the process: its routes (integrations,
/// inbound hooks, payment intents, messages, store syncs, signature requests), its job kinds and
/// its workflow actions. Each part registers itself here.
void RegisterIntegrationsRoutes(http::RouteTable& routes, const IntegrationService& service);
void RegisterIntegrationsJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service);
void RegisterIntegrationsActions(workflows::ActionRegistry& actions, const IntegrationService& service);

}  // namespace kiln::integrations
