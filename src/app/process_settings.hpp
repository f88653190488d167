#pragma once

#include <map>
#include <string>

#include "core/config.hpp"
#include "core/settings/registry.hpp"
#include "modules/identity/identity_settings.hpp"
#include "modules/integrations/resilience.hpp"
#include "modules/webhooks/webhook_settings.hpp"
#include "observability/observability_settings.hpp"

namespace kiln::app {

/// Every setting of a Kiln process, typed: the server's Config and each module's own struct.
/// Filled once at start (ReadProcessSettings), then passed to what needs it.
struct ProcessSettings {
    Config server;
    observability::ObservabilitySettings observability;
    identity::IdentitySettings identity;
    webhooks::WebhookSettings webhooks;
    integrations::ResilienceSettings provider_resilience;
    std::map<std::string, std::string> platform_credentials;  // x-env variable → value

    ProcessSettings() = default;
    // The registry binds to the fields: a copy would leave it pointing at the original.
    ProcessSettings(const ProcessSettings&) = delete;
    ProcessSettings& operator=(const ProcessSettings&) = delete;
};

/// The one list of settings, bound to `settings`, in the order --help and the README show them.
/// A new setting is declared in its module's Declare function (see docs/architecture.md).
settings::Registry DeclareProcessSettings(ProcessSettings& settings);

/// After the environment and flags are read: the checks across settings, and the values one
/// module takes from another's (the identity mails' API prefix is the server's).
void FinishProcessSettings(const settings::Registry& registry, ProcessSettings& settings);

}  // namespace kiln::app
