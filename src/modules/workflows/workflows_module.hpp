#pragma once

#include "modules/module.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_repository.hpp"
#include "modules/workflows/workflow_runner.hpp"

namespace kiln::egress {
class OutboundClient;
}

namespace kiln::workflows {

/// The workflows module: rules that run actions on events: their routes, the built-in actions, the consumer that fans
/// events out to matching rules, and the run jobs.
class WorkflowsModule final : public modules::Module {
  public:
    WorkflowsModule(const egress::OutboundClient& outbound, const ActionRegistry& actions,
                    const WorkflowRepository& rules, const WorkflowRunner& runner)
        : outbound_(outbound), actions_(actions), rules_(rules), runner_(runner) {}

    std::string_view name() const override { return "workflows"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterWorkflowActions(workflows::ActionRegistry& actions) const override;
    void RegisterEventConsumers(events::EventDispatcher& dispatcher) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const override;

  private:
    const egress::OutboundClient& outbound_;
    const ActionRegistry& actions_;
    const WorkflowRepository& rules_;
    const WorkflowRunner& runner_;
};

}  // namespace kiln::workflows
