#pragma once

#include <memory>

#include "core/secret_vault.hpp"
#include "egress/outbound_client.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/integration_repository.hpp"
#include "modules/integrations/integration_types.hpp"
#include "modules/integrations/provider_client.hpp"
#include "modules/integrations/resilience.hpp"

namespace kiln::integrations {

/// One integration made ready to call: its effective configuration, its resilient client and the
/// provider's adapter. Lives for one piece of work (a request, a job); not movable, because the
/// client and the adapter refer to the configuration.
class Connection final {
  public:
    Connection(const egress::OutboundClient& outbound, ResilienceRegistry& resilience, const Integration& integration,
               const PlatformDefaults& defaults);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const ProviderConfig& config() const { return config_; }
    const ProviderClient& client() const { return client_; }
    ProviderAdapter& adapter() { return *adapter_; }
    /// The adapter as the capability a caller needs; ValidationError on `integration_id` when the
    /// integration's type does not have it (an email call to a Stripe integration).
    PaymentGateway& payments();
    EmailProvider& email();
    SmsProvider& sms();
    CommerceSource& commerce();
    SignatureProvider& signatures();
    HttpEndpoint& http();

  private:
    template <typename Capability>
    Capability& As(const char* capability);
    ProviderConfig config_;
    ProviderClient client_;
    std::unique_ptr<ProviderAdapter> adapter_;
};

/// The integrations module's long-lived parts: the repository (with the vault), the platform's
/// fallback credentials, and the per-integration limiters and breakers.
class IntegrationService final {
  public:
    IntegrationService(const egress::OutboundClient& outbound, const SecretVault& vault, PlatformDefaults defaults,
                       ResilienceSettings settings);

    const IntegrationRepository& repository() const { return repository_; }
    const PlatformDefaults& defaults() const { return defaults_; }
    const egress::OutboundClient& outbound() const { return outbound_; }
    ResilienceRegistry& resilience() const { return resilience_; }

    std::unique_ptr<Connection> Connect(const Integration& integration) const;
    /// The integration a request names, or the tenant's default for the capability. NotFound /
    /// ValidationError (naming `field`) when there is none.
    Integration Choose(const db::TenantScope& scope, const std::optional<std::string>& integration_id,
                       const std::string& capability, const std::string& field = "integration_id") const;
    /// The integration's public fields plus the live state of its limiter and breaker.
    nlohmann::json Describe(const Integration& integration) const;

  private:
    const egress::OutboundClient& outbound_;
    IntegrationRepository repository_;
    PlatformDefaults defaults_;
    mutable ResilienceRegistry resilience_;
};

}  // namespace kiln::integrations
