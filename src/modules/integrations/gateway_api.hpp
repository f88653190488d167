#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"
#include "modules/integrations/provider_config.hpp"

namespace kiln::integrations {

/// What differs between the payment gateways' REST APIs as GatewayApi calls them.
struct GatewayDialect {
    using Headers = std::vector<std::pair<std::string, std::string>>;

    /// The API origin, unless the operator moved it.
    const char* pinned_origin;
    /// The header that makes a POST safe to repeat: the gateway answers a repeat with the first result.
    const char* idempotency_header;
    /// The headers that authenticate a call, read from the configuration on every call so that a missing credential
    /// fails the call that needs it.
    Headers (*credentials)(const ProviderConfig& config);
    /// The message and code of the `error` object of a failed answer (an empty object when the body has none).
    std::pair<std::string, std::string> (*error_of)(const nlohmann::json& error);
};

/// How Kiln calls a payment gateway's REST API (Stripe, Razorpay): requests to the gateway's origin with its
/// credentials through the ProviderClient, answers that are JSON objects with failures as `{"error":{…}}`, a POST
/// retried only when it carries an idempotency key, and the id every object and refund must have.
class GatewayApi final {
  public:
    GatewayApi(const ProviderClient& client, const GatewayDialect& dialect) : client_(client), dialect_(dialect) {}

    /// A GET, retried like any idempotent call.
    nlohmann::json Get(const std::string& path) const;
    /// A POST of `body` (of `content_type`). With an idempotency key it may be retried after a timeout or a 5xx
    /// without doing the work twice; without one ("") it is sent once.
    nlohmann::json Post(const std::string& path, const std::string& content_type, std::string body,
                        const std::string& idempotency_key) const;

    /// The gateway object `answer` as Kiln keeps it; ProviderError (malformed) "the <what> has no id" without an id.
    GatewayObject ObjectOf(nlohmann::json answer, const std::string& what) const;
    /// The refund `answer`; ProviderError (malformed) "the <what> has no id" without an id.
    GatewayRefund RefundOf(nlohmann::json answer, const std::string& what) const;
    /// ProviderError (rejected) unless `amount` is absent (refund everything) or positive.
    void CheckRefundAmount(std::optional<int64_t> amount) const;

    [[noreturn]] void Reject(const std::string& message) const;

  private:
    egress::OutboundRequest NewRequest(const std::string& method, const std::string& path) const;
    /// Reads a failed answer's message and code in the dialect.
    std::function<std::pair<std::string, std::string>(const std::string& body)> ErrorReader() const;

    const ProviderClient& client_;
    const GatewayDialect& dialect_;
};

}  // namespace kiln::integrations
