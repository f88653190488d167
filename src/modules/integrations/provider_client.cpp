#include "modules/integrations/provider_client.hpp"

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <random>
#include <sstream>
#include <thread>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "modules/common/secret_fields.hpp"
#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

using std::chrono::milliseconds;

// The longest an in-request call waits for the integration's own rate limiter.
constexpr milliseconds kInRequestMaxWait{1000};

/// Retry-After in seconds ("2", "2.0") or as an HTTP date; absent or unreadable → nullopt.
std::optional<milliseconds> RetryAfter(const egress::OutboundResponse& response) {
    const auto value = response.Header("retry-after");
    if (!value) return std::nullopt;
    try {
        size_t used = 0;
        const double seconds = std::stod(*value, &used);
        if (used == value->size() && seconds >= 0) return milliseconds(static_cast<int64_t>(seconds * 1000));
    } catch (const std::exception&) {
        // not a number: an HTTP date below
    }
    std::tm parts{};
    std::istringstream in(*value);
    in >> std::get_time(&parts, "%a, %d %b %Y %H:%M:%S GMT");
    if (in.fail()) return std::nullopt;
    const auto at = std::chrono::system_clock::from_time_t(timegm(&parts));
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(at - std::chrono::system_clock::now()));
}

/// Scheme, host and path: what a log line may say about a call (queries can carry identifiers).
std::string Where(const std::string& url) {
    const auto query = url.find_first_of("?#");
    return url.substr(0, query);
}

double Jitter() {
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.5, 1.0)(generator);
}

}  // namespace

const char* ProviderError::KindName(Kind kind) {
    switch (kind) {
        case Kind::kRejected:
            return "rejected";
        case Kind::kUnavailable:
            return "unavailable";
        case Kind::kRateLimited:
            return "rate_limited";
        case Kind::kMalformed:
            return "malformed_response";
        case Kind::kMisconfigured:
            return "misconfigured";
    }
    return "unknown";
}

ProviderClient::ProviderClient(const egress::OutboundClient& outbound, ResilienceRegistry& resilience,
                               const ProviderConfig& config)
    : outbound_(outbound),
      state_(resilience.For(config.id().str(),
                            config.Number("rate_limit_per_second", resilience.settings().default_rate_per_second))),
      settings_(resilience.settings()),
      config_(config) {}

milliseconds ProviderClient::Backoff(int attempt) const {
    const int64_t exponential = settings_.backoff_base.count() << std::min(attempt - 1, 16);
    const auto capped = std::min<int64_t>(exponential, settings_.backoff_max.count());
    return milliseconds(static_cast<int64_t>(static_cast<double>(capped) * Jitter()));
}

egress::OutboundResponse ProviderClient::Send(egress::OutboundRequest request, bool retry_safe) const {
    request.purpose = config_.type();
    request.timeout = milliseconds(static_cast<int64_t>(config_.Number("timeout_seconds", 10) * 1000));
    request.follow_redirects = false;
    // A request thread waits for this call: one short attempt, no sleeping on retries or the limiter
    // beyond a moment, so that a slow or silent provider costs the thread seconds, not minutes.
    const auto in_request = config_.in_request_timeout();
    int max_attempts = settings_.max_attempts;
    milliseconds max_wait = settings_.max_wait;
    if (in_request) {
        request.timeout = std::min(request.timeout, *in_request);
        request.connect_timeout = std::min(request.connect_timeout, *in_request);
        max_attempts = 1;
        max_wait = std::min(max_wait, kInRequestMaxWait);
    }
    const egress::Trust trust = config_.TrustOf(request.url);
    for (int attempt = 1;; ++attempt) {
        const auto now = std::chrono::steady_clock::now();
        if (!state_.breaker.Allow(now))
            Fail(ProviderError::Kind::kUnavailable,
                 "calls are suspended after repeated failures (circuit open); they resume by themselves");
        const auto wait = state_.bucket.Reserve(now);
        if (wait > max_wait)
            Fail(ProviderError::Kind::kRateLimited, "the integration's call rate limit is exhausted; try again later");
        std::this_thread::sleep_for(wait);

        std::optional<milliseconds> delay;
        try {
            auto response = outbound_.Send(request, trust);
            log::Info("provider call", {{"provider", config_.type()},
                                        {"integration_id", config_.id().str()},
                                        {"method", request.method},
                                        {"url", Where(request.url)},
                                        {"status", response.status},
                                        {"attempt", attempt},
                                        {"latency_ms", static_cast<double>(response.latency.count()) / 1000.0}});
            const bool busy = response.status == 429;
            const bool failed = response.status >= 500;
            if (failed) {
                state_.breaker.RecordFailure(std::chrono::steady_clock::now());
            } else {
                state_.breaker.RecordSuccess();
            }
            if (!(busy || (failed && retry_safe)) || attempt >= max_attempts) return response;
            delay = RetryAfter(response);
            if (delay && *delay > max_wait) return response;  // not worth waiting for inside one call
        } catch (const egress::EgressError& e) {
            log::Warn("provider call failed", {{"provider", config_.type()},
                                               {"integration_id", config_.id().str()},
                                               {"method", request.method},
                                               {"url", Where(request.url)},
                                               {"attempt", attempt},
                                               {"error", egress::EgressError::KindName(e.kind())}});
            const bool transient = egress::EgressError::IsRetryable(e.kind());
            if (transient) state_.breaker.RecordFailure(std::chrono::steady_clock::now());
            if (!transient)
                Fail(ProviderError::Kind::kMisconfigured,
                     std::string("the provider's address is not usable: ") + e.what());
            if (!retry_safe || attempt >= max_attempts)
                Fail(ProviderError::Kind::kUnavailable,
                     std::string("no answer (") + egress::EgressError::KindName(e.kind()) + ")");
        }
        std::this_thread::sleep_for(delay.value_or(Backoff(attempt)));
    }
}

nlohmann::json ProviderClient::SendForObject(
    egress::OutboundRequest request, bool retry_safe,
    const std::function<std::pair<std::string, std::string>(const std::string& body)>& error_of) const {
    const egress::OutboundResponse response = Send(std::move(request), retry_safe);
    if (!IsSuccess(response.status)) {
        const auto [message, code] = error_of(response.body);
        FailWith(response, message, code);
    }
    auto parsed = ParseJson(response);
    if (!parsed.is_object()) Fail(ProviderError::Kind::kMalformed, "the answer is not a JSON object");
    return parsed;
}

std::string ProviderClient::Redact(std::string text) const {
    const auto replace = [&text](const std::string& secret) {
        if (secret.size() < 4) return;
        const std::string mask = common::MaskSecret(secret);
        for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mask.size()))
            text.replace(at, secret.size(), mask);
    };
    for (const auto& secret : config_.secrets()) {
        // A secret also travels as HTTP Basic credentials, base64("<user>:<secret>") (Twilio's account
        // SID and auth token, Razorpay's key id and secret, Stripe's key with no password), which a
        // provider or a proxy may quote back in an error.
        replace(crypto::Base64Encode(secret + ":"));
        for (const auto& [field, value] : config_.values().items())
            if (value.is_string() && value.get<std::string>() != secret)
                replace(crypto::Base64Encode(value.get<std::string>() + ":" + secret));
        replace(secret);
    }
    return text;
}

void ProviderClient::Fail(ProviderError::Kind kind, const std::string& message) const {
    throw ProviderError(config_.type(), kind, Redact(message));
}

void ProviderClient::FailWith(const egress::OutboundResponse& response, const std::string& reason,
                              const std::string& provider_code) const {
    ProviderError::Kind kind = ProviderError::Kind::kMalformed;
    if (response.status == 429) {
        kind = ProviderError::Kind::kRateLimited;
    } else if (response.status >= 500) {
        kind = ProviderError::Kind::kUnavailable;
    } else if (response.status >= 400) {
        kind = ProviderError::Kind::kRejected;
    }
    std::string message = reason.empty() ? "the provider answered HTTP " + std::to_string(response.status)
                                         : reason + " (HTTP " + std::to_string(response.status) + ")";
    throw ProviderError(config_.type(), kind, Redact(message), response.status, Redact(provider_code));
}

nlohmann::json ProviderClient::ParseJson(const egress::OutboundResponse& response) const {
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (parsed.is_discarded())
        throw ProviderError(config_.type(), ProviderError::Kind::kMalformed,
                            "the provider's answer is not JSON (HTTP " + std::to_string(response.status) + ")",
                            response.status);
    return parsed;
}

}  // namespace kiln::integrations
