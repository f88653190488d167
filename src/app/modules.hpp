#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "app/process_settings.hpp"
#include "auth/login_rate_limiter.hpp"
#include "core/secret_vault.hpp"
#include "egress/outbound_client.hpp"
#include "modules/events/event_dispatcher.hpp"
#include "modules/integrations/integration_service.hpp"
#include "modules/module.hpp"
#include "modules/webhooks/webhook_service.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_repository.hpp"
#include "modules/workflows/workflow_runner.hpp"

namespace kiln::app {

/// What the built-in modules are made from: the process's settings and the long-lived collaborators they share.
struct ModuleDependencies {
    const ProcessSettings& settings;
    auth::LoginRateLimiter& login_limiter;
    std::chrono::steady_clock::time_point started;
    const egress::OutboundClient& outbound;
    const SecretVault& vault;
    const events::EventDispatcher& dispatcher;
    const workflows::ActionRegistry& workflow_actions;
    const workflows::WorkflowRepository& workflow_rules;
    const workflows::WorkflowRunner& workflow_runner;
    const webhooks::WebhookService& webhooks;
    const integrations::IntegrationService& integrations;
};

using ModuleList = std::vector<std::unique_ptr<modules::Module>>;

/// Every module built into Kiln, in the order their routes are registered (and `kiln routes` lists them): the one
/// list. A new module is its folder under src/modules/ with one `<name>_module` class, and one line here.
ModuleList BuiltInModules(const ModuleDependencies& dependencies);

}  // namespace kiln::app
