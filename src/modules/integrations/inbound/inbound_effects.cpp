#include "modules/integrations/inbound/inbound_effects.hpp"

#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

InboundOutcome IgnoredEvent(const std::string& why) {
    return {"ignored", {{"reason", why}}};
}

InboundOutcome ApplyInboundEvent(const db::TenantScope& scope, const Integration& integration,
                                 const InboundEvent& event) {
    const auto body = nlohmann::json::parse(event.payload, nullptr, false);
    if (body.is_discarded()) return IgnoredEvent("the stored payload is not JSON");
    const Provider* provider = Providers().Find(integration.type);
    if (provider == nullptr)
        return IgnoredEvent("Kiln does not act on " + integration.type + " " + event.event_type + " events");
    return provider->ApplyInbound({scope, integration, event, body});
}

}  // namespace kiln::integrations
