#pragma once

#include <string_view>

#include "http/route.hpp"
#include "jobs/job_handler.hpp"
#include "modules/events/event_dispatcher.hpp"
#include "modules/events/event_types.hpp"
#include "modules/workflows/action_registry.hpp"

namespace kiln::modules {

/// One domain module as the process sees it: what it adds to each of the process's registries. Each module folder
/// exports one (catalog::CatalogModule, …), made with the collaborators it needs; app/modules.cpp lists them in
/// one place, and every process asks each module for only what it runs: `kiln serve` for all of it, `kiln worker`
/// for event types, consumers, actions and jobs without building a route table. Plugins will add modules to the
/// same list. Every part is optional (the defaults add nothing).
class Module {
  public:
    Module() = default;
    virtual ~Module() = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    Module(Module&&) = delete;
    Module& operator=(Module&&) = delete;

    /// The folder's name ("catalog"): for logs and `kiln routes`.
    virtual std::string_view name() const = 0;
    /// The event types the module's code records. Declared first, before any route, consumer or job exists, so
    /// nothing records an undeclared type; GET /events/types lists them.
    virtual void DeclareEventTypes(events::EventTypeRegistry& registry) const;
    /// Workflow action types the module offers to rules.
    virtual void RegisterWorkflowActions(workflows::ActionRegistry& actions) const;
    /// Consumers of every recorded event (each gets its own fan-out job per event).
    virtual void RegisterEventConsumers(events::EventDispatcher& dispatcher) const;
    /// Its routes (`kiln serve`, OpenAPI, `kiln routes`).
    virtual void RegisterRoutes(http::RouteTable& routes) const;
    /// Its job kinds (`kiln serve` and `kiln worker`).
    virtual void RegisterJobs(jobs::JobHandlerRegistry& registry) const;
};

}  // namespace kiln::modules
