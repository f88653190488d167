#pragma once

#include <map>
#include <string>

#include "core/config.hpp"
#include "core/settings/registry.hpp"
#include "modules/integrations/resilience.hpp"

namespace kiln::app {

/// The integrations module's settings: the breaker and back-off of provider calls, the bounds of
/// in-request calls, the operators' endpoint overrides and the platform credentials (one variable
/// per `x-env` field of the providers' schemas, one `KILN_<KEY>_BASE_URL` per Provider::OperatorEndpointKeys).
/// Values land in ResilienceSettings, Config's outbound fields and `platform_credentials` (variable → value, for
/// integrations::PlatformDefaults).
struct IntegrationSettingsTargets {
    integrations::ResilienceSettings& resilience;
    Config& config;
    std::map<std::string, std::string>& platform_credentials;
};

void DeclareIntegrationSettings(settings::Registry& registry, const IntegrationSettingsTargets& targets);

}  // namespace kiln::app
