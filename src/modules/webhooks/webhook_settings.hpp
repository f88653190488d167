#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "core/settings/registry.hpp"
#include "modules/webhooks/retry_policy.hpp"

namespace kiln::webhooks {

/// Outgoing webhooks' settings (declared with DeclareSettings). Times are seconds unless named
/// otherwise.
struct WebhookSettings {
    size_t workers = 8;                // KILN_WEBHOOK_WORKERS (delivery threads; 0 = none)
    std::chrono::seconds timeout{15};  // KILN_WEBHOOK_TIMEOUT_SECONDS (per attempt)
    RetrySchedule retry_schedule =
        RetrySchedule::Parse("0,5,300,1800,7200,18000,36000,36000");  // KILN_WEBHOOK_RETRY_SCHEDULE
    std::chrono::seconds throttle_delay{60};            // KILN_WEBHOOK_THROTTLE_SECONDS (after 429/502/504/timeout)
    std::chrono::seconds disable_after{5 * 24 * 3600};  // KILN_WEBHOOK_DISABLE_AFTER_SECONDS
    std::chrono::hours attempt_retention{30 * 24};      // KILN_WEBHOOK_RETENTION_HOURS
    std::chrono::seconds secret_grace{24 * 3600};       // KILN_WEBHOOK_SECRET_GRACE_SECONDS (old key keeps signing)
    size_t max_in_flight = 4;                           // KILN_WEBHOOK_MAX_IN_FLIGHT (per subscription)
    size_t rate_limit = 100;                            // KILN_WEBHOOK_RATE_LIMIT (attempts/s per subscription)
    std::chrono::seconds lease{30};  // KILN_WEBHOOK_LEASE_SECONDS (renewed while sending; a dead worker's expire)
};

/// Declares the KILN_WEBHOOK_* settings, bound to `settings`.
void DeclareSettings(settings::Registry& registry, WebhookSettings& settings);

}  // namespace kiln::webhooks
