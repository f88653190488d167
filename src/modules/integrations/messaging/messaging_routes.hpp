#pragma once

#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/workflows/action_registry.hpp"

namespace kiln::integrations {

/// POST /integrations/email/test, GET /messages, GET /messages/{id}, POST /messages/email and
/// POST /messages/sms (the last two queue the message; a job sends it).
void RegisterMessagingRoutes(http::RouteTable& routes, const IntegrationService& service);
/// message.send_email and message.send_sms.
void RegisterMessagingJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service);
/// The workflow actions send_email and send_sms.
void RegisterMessagingActions(workflows::ActionRegistry& actions, const IntegrationService& service);

}  // namespace kiln::integrations
