#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "http/request.hpp"
#include "http/route.hpp"
#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/inbound/inbound_effects.hpp"
#include "modules/integrations/inbound/inbound_verification.hpp"
#include "modules/integrations/integration.hpp"
#include "modules/integrations/integration_types.hpp"
#include "modules/integrations/provider_client.hpp"
#include "modules/integrations/provider_config.hpp"

namespace kiln::integrations {

class IntegrationService;

/// A webhook as it arrived at an integration's hook: the integration's configuration (with its secrets), the raw
/// request, the public URL the provider posted to (Twilio signs it) and the time to check signed timestamps against.
struct WebhookDelivery {
    const ProviderConfig& config;
    const http::Request& request;
    const std::string& public_url;
    std::chrono::system_clock::time_point now;
};

/// A verified, stored event to apply, in the caller's transaction; `body` is its payload parsed.
struct EventToApply {
    const db::TenantScope& scope;
    const Integration& integration;
    const InboundEvent& event;
    const nlohmann::json& body;
};

/// Makes a provider's adapter, bound to the client of one piece of work.
using AdapterFactory = std::unique_ptr<ProviderAdapter> (*)(const ProviderClient& client);

/// The AdapterFactory of an adapter made from the client alone, as every built-in one is.
template <typename Adapter>
std::unique_ptr<ProviderAdapter> MakeAdapter(const ProviderClient& client) {
    return std::make_unique<Adapter>(client);
}

/// One provider Kiln integrates with, as an extension: everything that depends on which provider an integration is
/// lives behind this interface, in the provider's own folder (providers/<type>/), and the framework (routes, inbound
/// inbox, store sync, payments) asks the ProviderRegistry instead of comparing type strings. The defaults describe a
/// provider that receives no webhooks and adds no routes of its own.
class Provider {
  public:
    /// `spec` is the type key, capability, title, configuration schema and its checks (GET /integrations/types);
    /// `new_adapter` makes the adapter of the provider's API (MakeAdapter<StripeGateway>).
    Provider(TypeSpec spec, AdapterFactory new_adapter) : spec_(std::move(spec)), new_adapter_(new_adapter) {}
    virtual ~Provider() = default;
    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;

    /// The key an integration stores ("stripe"): the registry's key, and the name outbound metrics carry.
    const std::string& type() const { return spec_.type; }
    const TypeSpec& spec() const { return spec_; }

    /// The adapter of the provider's API, which implements the capability of spec().capability.
    std::unique_ptr<ProviderAdapter> NewAdapter(const ProviderClient& client) const { return new_adapter_(client); }

    /// The keys of the hosts pinned in code that the operator may move (KILN_<KEY>_BASE_URL, see OverrideVariable):
    /// by default the type's API host, none when the tenant chooses the host (`base_url` is an endpoint field).
    virtual std::vector<std::string> OperatorEndpointKeys() const;

    /// Verifies a webhook the provider posted to the integration's hook (see VerifyInbound) and splits it into
    /// events. The default: NotFound, this type receives no webhooks.
    virtual std::vector<ReceivedEvent> VerifyInbound(const WebhookDelivery& delivery) const;
    /// Applies one verified event in the caller's transaction. The default: ignored.
    virtual InboundOutcome ApplyInbound(const EventToApply& stored) const;

    // ---- payment gateways: what the payment routes need to know of a gateway's objects ----

    /// Whether creating the gateway object again with the same idempotency key returns the same one (Stripe). When
    /// not (Razorpay orders take no key), the object a payment already has is retrieved instead of made again.
    virtual bool ReplaysKeyedCreate() const { return true; }
    /// Public fields the payer's browser needs besides the client secret (Razorpay Checkout's key_id).
    virtual nlohmann::json CheckoutFields(const ProviderConfig& config) const;
    /// The gateway object a refund of a payment names: by default the payment's own gateway reference. Throws
    /// Conflict when the gateway's answer so far does not say it.
    virtual std::string RefundReference(const std::string& gateway_ref, const nlohmann::json& gateway_response) const;

    /// Routes only this provider has (Razorpay's Checkout verification), registered with the payment routes.
    virtual void RegisterRoutes(http::RouteTable& routes, const IntegrationService& service) const;

  private:
    TypeSpec spec_;
    AdapterFactory new_adapter_;
};

}  // namespace kiln::integrations
