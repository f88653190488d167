#pragma once

#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/integrations/integration_service.hpp"

namespace kiln::integrations {

/// POST /hooks/{integration_id}: the public address a provider posts its webhooks to. The body is
/// verified with the provider's scheme, each event stored once under (integration, provider event
/// id), the provider answered at once, and the effect applied by an `integration.inbound` job.
void RegisterInboundRoutes(http::RouteTable& routes, const IntegrationService& service);
void RegisterInboundJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service);

}  // namespace kiln::integrations
