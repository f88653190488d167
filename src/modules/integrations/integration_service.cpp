#include "modules/integrations/integration_service.hpp"

#include <algorithm>

#include "core/uuid.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

namespace {

ProviderConfig ConfigOf(const Integration& integration, const PlatformDefaults& defaults, EndpointOverride endpoints,
                        std::optional<std::chrono::milliseconds> in_request_timeout) {
    const auto& spec = TypeOf(integration.type);
    auto effective = EffectiveConfig(spec, integration.config, defaults, integration.use_platform_credentials);
    std::vector<std::string> secrets;
    for (const auto& field : spec.SecretFields())
        if (const auto it = effective.find(field); it != effective.end() && it->is_string())
            secrets.push_back(it->get<std::string>());
    return {integration.id,     integration.type,     integration.mode,  std::move(effective),
            std::move(secrets), std::move(endpoints), in_request_timeout};
}

}  // namespace

Connection::Connection(const egress::OutboundClient& outbound, ResilienceRegistry& resilience,
                       const Integration& integration, const PlatformDefaults& defaults, EndpointOverride endpoints,
                       std::optional<std::chrono::milliseconds> in_request_timeout,
                       std::optional<OutboundGate::Permit> permit)
    : permit_(std::move(permit)),
      config_(ConfigOf(integration, defaults, std::move(endpoints), in_request_timeout)),
      client_(outbound, resilience, config_),
      adapter_(Providers().Of(integration.type).NewAdapter(client_)) {}

template <typename Capability>
Capability& Connection::As(const char* capability) {
    auto* adapter = dynamic_cast<Capability*>(adapter_.get());
    if (adapter == nullptr)
        throw ValidationError("integration_id",
                              "is a " + config_.type() + " integration, which cannot do " + capability);
    return *adapter;
}

PaymentGateway& Connection::payments() {
    return As<PaymentGateway>("payments");
}
EmailProvider& Connection::email() {
    return As<EmailProvider>("email");
}
SmsProvider& Connection::sms() {
    return As<SmsProvider>("sms");
}
CommerceSource& Connection::commerce() {
    return As<CommerceSource>("commerce");
}
SignatureProvider& Connection::signatures() {
    return As<SignatureProvider>("signatures");
}
HttpEndpoint& Connection::http() {
    return As<HttpEndpoint>("http calls");
}

IntegrationSettings IntegrationSettings::FromConfig(const Config& config) {
    IntegrationSettings settings;
    settings.endpoints = OperatorEndpoints(config.provider_base_urls);
    settings.in_request_per_tenant = std::max<size_t>(1, config.outbound_per_tenant);
    settings.in_request_total = config.outbound_in_request_max > 0 ? config.outbound_in_request_max
                                                                   : std::max<size_t>(1, config.handler_threads / 2);
    const auto seconds = std::clamp<std::chrono::seconds::rep>(config.outbound_in_request_timeout.count(), 1, 5);
    settings.in_request_timeout = std::chrono::seconds(seconds);
    return settings;
}

IntegrationService::IntegrationService(const egress::OutboundClient& outbound, const SecretVault& vault,
                                       PlatformDefaults defaults, ResilienceSettings settings,
                                       IntegrationSettings integration_settings)
    : outbound_(outbound),
      repository_(vault),
      defaults_(std::move(defaults)),
      settings_(std::move(integration_settings)),
      resilience_(settings),
      gate_(settings_.in_request_per_tenant, settings_.in_request_total) {}

std::unique_ptr<Connection> IntegrationService::Connect(const Integration& integration) const {
    return std::make_unique<Connection>(outbound_, resilience_, integration, defaults_,
                                        settings_.endpoints.For(integration.type, integration.endpoint_override));
}

std::unique_ptr<Connection> IntegrationService::ConnectInRequest(const TenantId& tenant,
                                                                 const Integration& integration) const {
    auto permit = gate_.Acquire(tenant);
    return std::make_unique<Connection>(outbound_, resilience_, integration, defaults_,
                                        settings_.endpoints.For(integration.type, integration.endpoint_override),
                                        settings_.in_request_timeout, std::move(permit));
}

Integration IntegrationService::Choose(const db::TenantScope& scope, const std::optional<std::string>& integration_id,
                                       const std::string& capability, const std::string& field) const {
    if (integration_id) {
        if (!IsUuid(*integration_id)) throw ValidationError(field, "is not an integration id");
        auto found = repository_.Find(scope, IntegrationId(*integration_id));
        if (!found) throw ValidationError(field, "names no integration of this tenant");
        if (found->capability != capability)
            throw ValidationError(field, "is a " + found->type + " integration, which cannot do " + capability);
        if (found->status == "inactive") throw ValidationError(field, "names an inactive integration");
        return *found;
    }
    auto chosen = repository_.FindDefault(scope, capability);
    if (!chosen)
        throw ValidationError(
            field, "is required: the tenant has no default " + capability + " integration (set is_default on one)");
    return *chosen;
}

nlohmann::json IntegrationService::Describe(const Integration& integration) const {
    auto shown = integration.ToJson(TypeOf(integration.type), defaults_);
    shown["resilience"] = resilience_.Snapshot(integration.id.str());
    return shown;
}

}  // namespace kiln::integrations
