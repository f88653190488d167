#include "modules/integrations/provider.hpp"

#include "core/error.hpp"

namespace kiln::integrations {

std::vector<std::string> Provider::OperatorEndpointKeys() const {
    if (spec_.IsEndpoint("base_url")) return {};
    return {type()};
}

std::vector<ReceivedEvent> Provider::VerifyInbound(const WebhookDelivery& /*delivery*/) const {
    throw NotFound(type() + " integrations receive no webhooks.");
}

InboundOutcome Provider::ApplyInbound(const EventToApply& stored) const {
    return IgnoredEvent("Kiln does not act on " + type() + " " + stored.event.event_type + " events");
}

nlohmann::json Provider::CheckoutFields(const ProviderConfig& /*config*/) const {
    return nlohmann::json::object();
}

std::string Provider::RefundReference(const std::string& gateway_ref,
                                      const nlohmann::json& /*gateway_response*/) const {
    return gateway_ref;
}

void Provider::RegisterRoutes(http::RouteTable& /*routes*/, const IntegrationService& /*service*/) const {}

}  // namespace kiln::integrations
