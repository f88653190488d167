#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "core/config.hpp"
#include "core/secret_vault.hpp"
#include "egress/outbound_client.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/integration_repository.hpp"
#include "modules/integrations/integration_types.hpp"
#include "modules/integrations/outbound_gate.hpp"
#include "modules/integrations/provider_client.hpp"
#include "modules/integrations/provider_endpoints.hpp"
#include "modules/integrations/resilience.hpp"

namespace kiln::integrations {

/// One integration made ready to call: its effective configuration, its resilient client and the
/// provider's adapter. Lives for one piece of work (a request, a job); not movable, because the
/// client and the adapter refer to the configuration. A connection made inside a request holds its
/// tenant's slot of the OutboundGate until it is destroyed.
class Connection final {
  public:
    Connection(const egress::OutboundClient& outbound, ResilienceRegistry& resilience, const Integration& integration,
               const PlatformDefaults& defaults, EndpointOverride endpoints = {},
               std::optional<std::chrono::milliseconds> in_request_timeout = std::nullopt,
               std::optional<OutboundGate::Permit> permit = std::nullopt);
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
    std::optional<OutboundGate::Permit> permit_;
    ProviderConfig config_;
    ProviderClient client_;
    std::unique_ptr<ProviderAdapter> adapter_;
};

/// The operator's settings of the module: endpoint overrides and the bounds of in-request calls.
struct IntegrationSettings {
    OperatorEndpoints endpoints;
    size_t in_request_per_tenant = 2;
    size_t in_request_total = 4;
    std::chrono::milliseconds in_request_timeout{5000};
    /// KILN_<TYPE>_BASE_URL, KILN_OUTBOUND_PER_TENANT, KILN_OUTBOUND_IN_REQUEST_MAX (0: half the
    /// handler threads), KILN_OUTBOUND_IN_REQUEST_TIMEOUT_SECONDS (1–5). Throws std::invalid_argument
    /// on an endpoint that is not a URL.
    static IntegrationSettings FromConfig(const Config& config);
};

/// The integrations module's long-lived parts: the repository (with the vault), the platform's
/// fallback credentials, the operator's endpoints, the per-integration limiters and breakers, and
/// the gate of in-request calls.
class IntegrationService final {
  public:
    IntegrationService(const egress::OutboundClient& outbound, const SecretVault& vault, PlatformDefaults defaults,
                       ResilienceSettings settings, IntegrationSettings integration_settings = {});

    const IntegrationRepository& repository() const { return repository_; }
    const PlatformDefaults& defaults() const { return defaults_; }
    const egress::OutboundClient& outbound() const { return outbound_; }
    ResilienceRegistry& resilience() const { return resilience_; }

    /// For jobs (and for reading the configuration without calling): the integration's own timeout
    /// and the usual retries.
    std::unique_ptr<Connection> Connect(const Integration& integration) const;
    /// For a call a request handler waits on: takes one of the tenant's OutboundGate slots (throws
    /// 429/503 when none is free), and each call gets the short in-request timeout and no retries.
    std::unique_ptr<Connection> ConnectInRequest(const TenantId& tenant, const Integration& integration) const;
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
    IntegrationSettings settings_;
    mutable ResilienceRegistry resilience_;
    mutable OutboundGate gate_;
};

}  // namespace kiln::integrations
