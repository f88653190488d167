#pragma once

#include "modules/module.hpp"
#include "modules/plugins/plugin_service.hpp"

namespace kiln::plugins {

/// The plugins module: the platform's plugin registry and each tenant's configuration of its plugins (the
/// specified contract of issue 14; plugin code, its sandbox and its extension points are not built yet).
class PluginsModule final : public modules::Module {
  public:
    explicit PluginsModule(const SecretVault& vault) : service_(vault) {}

    std::string_view name() const override { return "plugins"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;

  private:
    PluginService service_;
};

}  // namespace kiln::plugins
