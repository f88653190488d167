#pragma once

#include <map>
#include <string>

#include "auth/client_address.hpp"
#include "core/config.hpp"
#include "core/settings/registry.hpp"
#include "egress/egress_settings.hpp"
#include "modules/identity/identity_settings.hpp"
#include "modules/integrations/resilience.hpp"
#include "modules/webhooks/webhook_settings.hpp"
#include "observability/observability_settings.hpp"

namespace kiln::app {

/// Every setting of a Kiln process, typed: the server's Config and each layer's or module's own
/// struct. Filled once at start (DeclareProcessSettings, then the registry reads the environment
/// and the flags), then passed to what needs it.
struct ProcessSettings {
    Config server;
    auth::TrustedProxies trusted_proxies;
    egress::EgressSettings egress;
    observability::ObservabilitySettings observability;
    identity::IdentitySettings identity;
    webhooks::WebhookSettings webhooks;
    integrations::ResilienceSettings provider_resilience;
    std::map<std::string, std::string> platform_credentials;  // x-env variable → value

    ProcessSettings() = default;
    // The registry binds to the fields: a copy would leave it pointing at the original.
    ProcessSettings(const ProcessSettings&) = delete;
    ProcessSettings& operator=(const ProcessSettings&) = delete;
    ProcessSettings(ProcessSettings&&) = delete;
    ProcessSettings& operator=(ProcessSettings&&) = delete;
    ~ProcessSettings() = default;
};

/// The one list of settings, bound to `settings`, in the order --help and the README show them.
/// A new setting is declared in its module's DeclareSettings (see docs/architecture.md).
settings::Registry DeclareProcessSettings(ProcessSettings& settings);

/// Reads every setting once: the environment through `environment`, then `flags` (flag →
/// text, as given on the command line) over it, then the checks across settings and the values
/// one module takes from another's. Throws InvalidSetting naming the variable of a bad value.
void ReadProcessSettings(const settings::Registry& registry, const settings::Lookup& environment,
                         const std::map<const settings::Setting*, std::string>& flags, ProcessSettings& settings);

}  // namespace kiln::app
