#include "modules/workflows/workflows_module.hpp"

#include "modules/workflows/builtin_actions.hpp"
#include "modules/workflows/workflow_routes.hpp"

namespace kiln::workflows {

void WorkflowsModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareWorkflowEvents(registry);
}

void WorkflowsModule::RegisterWorkflowActions(workflows::ActionRegistry& actions) const {
    actions.Register(CreateNotificationAction());
    actions.Register(HttpRequestAction(outbound_));
}

void WorkflowsModule::RegisterEventConsumers(events::EventDispatcher& dispatcher) const {
    dispatcher.AddConsumer("workflows",
                           [&runner = runner_](const db::TenantScope& scope, const events::StoredEvent& event) {
                               runner.FanOut(scope, event);
                           });
}

void WorkflowsModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterWorkflowRoutes(routes, actions_, rules_);
}

void WorkflowsModule::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    runner_.RegisterJobs(registry);
}

}  // namespace kiln::workflows
