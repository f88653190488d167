#pragma once

#include <functional>
#include <string>
#include <utility>

#include "egress/outbound_client.hpp"
#include "modules/integrations/provider_config.hpp"
#include "modules/integrations/provider_error.hpp"
#include "modules/integrations/resilience.hpp"

namespace kiln::integrations {

/// How adapters call their provider (DESIGN §6): through the SSRF-guarded outbound client, paced by
/// the integration's token bucket, stopped by its circuit breaker, with a timeout on every call and
/// retries with exponential backoff and jitter where they are safe. Each call is logged (method,
/// host, path, status, attempt, latency; never a header or a body) and measured by the outbound
/// client under the provider's name.
class ProviderClient final {
  public:
    ProviderClient(const egress::OutboundClient& outbound, ResilienceRegistry& resilience,
                   const ProviderConfig& config);

    /// Sends `request` and returns the provider's last answer, whatever its status. 429 is retried
    /// (the provider refused without doing anything), honouring Retry-After; timeouts, connection
    /// failures and 5xx are retried only when `retry_safe` (an idempotent call, or one made so by an
    /// idempotency key). Throws ProviderError when no answer came or the circuit is open.
    egress::OutboundResponse Send(egress::OutboundRequest request, bool retry_safe) const;
    /// Send, then the answer as a JSON object. A non-2xx answer throws FailWith with the message and code
    /// `error_of` reads from its body (empty when the body is not the provider's error shape); an answer that is
    /// not a JSON object throws ProviderError (malformed).
    nlohmann::json SendForObject(
        egress::OutboundRequest request, bool retry_safe,
        const std::function<std::pair<std::string, std::string>(const std::string& body)>& error_of) const;

    const ProviderConfig& config() const { return config_; }
    const std::string& provider() const { return config_.type(); }

    /// The text with every secret of the integration replaced by its mask.
    std::string Redact(std::string text) const;
    /// Throws the ProviderError a non-2xx answer means: 429 → rate limited, 5xx → unavailable,
    /// other 4xx → rejected; `reason` is the provider's own message (redacted).
    [[noreturn]] void FailWith(const egress::OutboundResponse& response, const std::string& reason,
                               const std::string& provider_code = "") const;
    [[noreturn]] void Fail(ProviderError::Kind kind, const std::string& message) const;
    /// The body as JSON; ProviderError (malformed) when it is not.
    nlohmann::json ParseJson(const egress::OutboundResponse& response) const;

  private:
    std::chrono::milliseconds Backoff(int attempt) const;
    const egress::OutboundClient& outbound_;
    ResilienceRegistry::Entry& state_;
    const ResilienceSettings& settings_;
    const ProviderConfig& config_;
};

}  // namespace kiln::integrations
