#pragma once

#include "http/route.hpp"
#include "modules/events/event_types.hpp"
#include "modules/plugins/plugin_service.hpp"

namespace kiln::plugins {

/// plugin.installed, .updated, .deleted (the registry) and plugin.configured, .enabled, .disabled (a tenant's
/// configuration).
void DeclarePluginEvents(events::EventTypeRegistry& registry);

/// The registry (/plugins, /plugins/available, /plugins/{key}) and a tenant's plugins (/plugins/tenant/…).
void RegisterPluginRoutes(http::RouteTable& routes, const PluginService& service);

}  // namespace kiln::plugins
