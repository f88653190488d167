#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "egress/outbound_client.hpp"
#include "modules/webhooks/delivery_repository.hpp"
#include "modules/webhooks/retry_policy.hpp"
#include "modules/webhooks/subscription.hpp"

namespace kiln::webhooks {

struct SendResult {
    Attempt attempt;
    AttemptVerdict verdict;
    std::optional<std::chrono::milliseconds> retry_after;
};

/// Makes one attempt: signs the delivery's payload bytes (Standard Webhooks) and POSTs them through
/// the product's outbound client, which refuses internal addresses and never follows redirects.
/// Never throws for what the receiver does; everything is in the result.
class DeliverySender final {
  public:
    static constexpr size_t kMaxResponseBytes = 4096;

    DeliverySender(const egress::OutboundClient& client, std::chrono::seconds timeout)
        : client_(client), timeout_(timeout) {}

    SendResult Send(const Subscription& subscription, const Delivery& delivery, int attempt,
                    const std::string& trigger) const;

  private:
    const egress::OutboundClient& client_;
    std::chrono::seconds timeout_;
};

/// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD: receivers
/// answer with anything, and the attempt log must stay valid text.
std::string SanitizeUtf8(const std::string& text);

}  // namespace kiln::webhooks
