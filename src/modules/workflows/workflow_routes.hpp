#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_repository.hpp"

namespace kiln::workflows {

/// workflow.created, .updated, .deleted, .enabled, .disabled.
void DeclareWorkflowEvents(events::EventTypeRegistry& registry);

/// /workflows (CRUD, enable, disable), /workflows/actions, /workflows/{id}/logs and
/// /workflows/{id}/dry-run. `actions` and `rules` must outlive the routes.
void RegisterWorkflowRoutes(http::RouteTable& routes, const ActionRegistry& actions, const WorkflowRepository& rules);

}  // namespace kiln::workflows
