#include "app/process_settings.hpp"

#include "app/integration_settings.hpp"

namespace kiln::app {

settings::Registry DeclareProcessSettings(ProcessSettings& settings) {
    settings::Registry registry;
    DeclareSettings(registry, settings.server);
    auth::DeclareSettings(registry, settings.trusted_proxies);
    identity::DeclareSettings(registry, settings.identity);
    observability::DeclareSettings(registry, settings.observability);
    egress::DeclareSettings(registry, settings.egress);
    webhooks::DeclareSettings(registry, settings.webhooks);
    DeclareIntegrationSettings(registry,
                               {settings.provider_resilience, settings.server, settings.platform_credentials});
    return registry;
}

void ReadProcessSettings(const settings::Registry& registry, const settings::Lookup& environment,
                         const std::map<const settings::Setting*, std::string>& flags, ProcessSettings& settings) {
    registry.Read(environment);
    for (const auto& [setting, text] : flags) registry.ApplyFlag(*setting, text);
    registry.Check();
    settings.identity.api_prefix = settings.server.api_prefix;
}

}  // namespace kiln::app
