#include "modules/integrations/provider.hpp"

#include "core/error.hpp"

namespace kiln::integrations {

std::vector<ReceivedEvent> Provider::VerifyInbound(const ProviderConfig& /*config*/, const http::Request& /*request*/,
                                                   const std::string& /*public_url*/,
                                                   std::chrono::system_clock::time_point /*now*/) const {
    throw NotFound(type() + " integrations receive no webhooks.");
}

InboundOutcome Provider::ApplyInbound(const db::TenantScope& /*scope*/, const Integration& /*integration*/,
                                      const InboundEvent& event, const nlohmann::json& /*body*/) const {
    return IgnoredEvent("Kiln does not act on " + type() + " " + event.event_type + " events");
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
