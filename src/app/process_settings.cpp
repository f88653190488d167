#include "app/process_settings.hpp"

#include "app/integration_settings.hpp"

namespace kiln::app {

settings::Registry DeclareProcessSettings(ProcessSettings& settings) {
    settings::Registry registry;
    DeclareSettings(registry, settings.server);
    identity::DeclareSettings(registry, settings.identity);
    observability::DeclareSettings(registry, settings.observability);
    webhooks::DeclareSettings(registry, settings.webhooks);
    DeclareIntegrationSettings(registry,
                               {settings.provider_resilience, settings.server, settings.platform_credentials});
    return registry;
}

void FinishProcessSettings(const settings::Registry& registry, ProcessSettings& settings) {
    registry.Check();
    settings.identity.api_prefix = settings.server.api_prefix;
}

}  // namespace kiln::app
