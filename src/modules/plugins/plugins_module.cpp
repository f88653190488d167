#include "modules/plugins/plugins_module.hpp"

#include "modules/plugins/plugin_routes.hpp"

namespace kiln::plugins {

void PluginsModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclarePluginEvents(registry);
}

void PluginsModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterPluginRoutes(routes, service_);
}

}  // namespace kiln::plugins
