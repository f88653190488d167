#include "modules/integrations/inbound/inbound_verification.hpp"

#include "core/error.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

std::vector<ReceivedEvent> VerifyInbound(const ProviderConfig& config, const http::Request& request,
                                         const std::string& public_url, std::chrono::system_clock::time_point now) {
    const Provider* provider = Providers().Find(config.type());
    if (provider == nullptr) throw NotFound(config.type() + " integrations receive no webhooks.");
    return provider->VerifyInbound({config, request, public_url, now});
}

}  // namespace kiln::integrations
