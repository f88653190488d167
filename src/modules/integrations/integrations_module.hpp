#pragma once

#include "modules/integrations/integration_service.hpp"
#include "modules/module.hpp"

namespace kiln::integrations {

/// The integrations module: the framework (registry of providers, vault, resilience, inbound inbox) and what it
/// adds to the process: its routes (integrations, inbound hooks, payment intents, messages, store syncs, signature
/// requests, and each provider's own), its job kinds and its workflow actions.
class IntegrationsModule final : public modules::Module {
  public:
    explicit IntegrationsModule(const IntegrationService& service) : service_(service) {}

    std::string_view name() const override { return "integrations"; }
    void RegisterWorkflowActions(workflows::ActionRegistry& actions) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const override;

  private:
    const IntegrationService& service_;
};

}  // namespace kiln::integrations
