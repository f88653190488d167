#include "modules/module.hpp"

namespace kiln::modules {

void Module::DeclareEventTypes(events::EventTypeRegistry& /*registry*/) const {}
void Module::RegisterWorkflowActions(workflows::ActionRegistry& /*actions*/) const {}
void Module::RegisterEventConsumers(events::EventDispatcher& /*dispatcher*/) const {}
void Module::RegisterRoutes(http::RouteTable& /*routes*/) const {}
void Module::RegisterJobs(jobs::JobHandlerRegistry& /*registry*/) const {}

}  // namespace kiln::modules
