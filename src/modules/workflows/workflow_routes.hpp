#pragma once

#include "http/route.hpp"
#include "modules/workflows/action_registry.hpp"

namespace kiln::workflows {

/// /workflows (CRUD, enable, disable), /workflows/actions, /workflows/{id}/logs and
/// /workflows/{id}/dry-run. `actions` must outlive the routes.
void RegisterWorkflowRoutes(http::RouteTable& routes, const ActionRegistry& actions);

}  // namespace kiln::workflows
