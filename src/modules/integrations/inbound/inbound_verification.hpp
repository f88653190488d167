#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "modules/integrations/provider_config.hpp"

namespace kiln::integrations {

/// An event out of a verified provider webhook: its provider id (the replay key), type and JSON.
struct ReceivedEvent {
    std::string provider_event_id;
    std::string event_type;
    std::string payload;
};

/// Verifies a provider's webhook over the raw bytes received, with the provider's own scheme and
/// every secret the integration currently accepts (the current and, during a rotation, the
/// previous one), then splits it into events. Throws Unauthorized naming the reason (missing,
/// malformed, stale, mismatch) — never a secret — and BadRequest for a verified body Kiln cannot
/// read. `public_url` is the URL the provider posted to (Twilio signs it).
std::vector<ReceivedEvent> VerifyInbound(const ProviderConfig& config, const http::Request& request,
                                         const std::string& public_url, std::chrono::system_clock::time_point now);

}  // namespace kiln::integrations
