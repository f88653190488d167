#pragma once

#include <string>

#include "core/error.hpp"

namespace kiln::integrations {

/// A provider call that did not do what was asked. Rendered as 502 with the provider's reason
/// (never a credential: ProviderClient redacts every secret of the integration from messages).
class ProviderError final : public Error {
  public:
    enum class Kind {
        kRejected,       // the provider answered 4xx: bad request, bad credentials, declined
        kUnavailable,    // no answer, 5xx, timeout, or the circuit breaker is open
        kRateLimited,    // 429 after the retries, or Kiln's own limiter for the integration
        kMalformed,      // an answer Kiln cannot read
        kMisconfigured,  // the integration lacks what the call needs
    };

    ProviderError(std::string provider, Kind kind, const std::string& message, int status = 0,
                  std::string provider_code = "")
        : Error(ErrorCode::kUpstream, provider + ": " + message),
          provider_(std::move(provider)),
          kind_(kind),
          status_(status),
          provider_code_(std::move(provider_code)) {}

    const std::string& provider() const noexcept { return provider_; }
    Kind kind() const noexcept { return kind_; }
    int status() const noexcept { return status_; }
    const std::string& provider_code() const noexcept { return provider_code_; }
    /// Worth trying again later: the provider was down or busy, not refusing the request.
    bool retryable() const noexcept { return kind_ == Kind::kUnavailable || kind_ == Kind::kRateLimited; }
    static const char* KindName(Kind kind);

  private:
    std::string provider_;
    Kind kind_;
    int status_;
    std::string provider_code_;
};

}  // namespace kiln::integrations
