#include "modules/events/events_module.hpp"

#include "modules/events/event_routes.hpp"

namespace kiln::events {

void EventsModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterEventRoutes(routes);
}

void EventsModule::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    dispatcher_.RegisterJobs(registry);
}

}  // namespace kiln::events
