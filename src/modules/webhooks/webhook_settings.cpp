#include "modules/webhooks/webhook_settings.hpp"

#include "core/settings/setting_kinds.hpp"

namespace kiln::webhooks {

namespace {

using settings::Duration;
using settings::Integer;

}  // namespace

void DeclareSettings(settings::Registry& r, WebhookSettings& s) {
    r.Add(Integer("KILN_WEBHOOK_WORKERS", s.workers, settings::kAnyCount,
                  "webhook delivery threads in `serve` and `worker` (`0`: none)"));
    r.Add(Duration("KILN_WEBHOOK_TIMEOUT_SECONDS", s.timeout, settings::kAnyCount, "one delivery attempt"));
    r.Add(
        settings::Custom("KILN_WEBHOOK_RETRY_SCHEDULE", s.retry_schedule.ToString(), "comma-separated seconds",
                         "seconds before each attempt (±20% jitter); one attempt per entry",
                         [&s](std::string_view text) { s.retry_schedule = RetrySchedule::Parse(std::string(text)); }));
    r.Add(Duration("KILN_WEBHOOK_THROTTLE_SECONDS", s.throttle_delay, settings::kAnyCount,
                   "least wait after 429, 502, 504 or a timeout (longer if `Retry-After` says so)"));
    r.Add(Duration("KILN_WEBHOOK_DISABLE_AFTER_SECONDS", s.disable_after, settings::kAnyCount,
                   "a subscription whose deliveries all died for this long is disabled"));
    r.Add(Duration("KILN_WEBHOOK_RETENTION_HOURS", s.attempt_retention, settings::kAnyCount,
                   "how long attempt records are kept"));
    r.Add(Duration("KILN_WEBHOOK_SECRET_GRACE_SECONDS", s.secret_grace, settings::kAnyCount,
                   "after a rotation the old secret keeps signing this long"));
    r.Add(Integer("KILN_WEBHOOK_MAX_IN_FLIGHT", s.max_in_flight, settings::kAtLeastOne,
                  "per subscription and process: delivery threads at once"));
    r.Add(Integer("KILN_WEBHOOK_RATE_LIMIT", s.rate_limit, settings::kAtLeastOne,
                  "per subscription and process: attempts per second"));
    r.Add(Duration("KILN_WEBHOOK_LEASE_SECONDS", s.lease, settings::kAtLeastOne,
                   "a delivery's lease while it is sent (renewed); a killed process's deliveries are resent "
                   "after it"));
}

}  // namespace kiln::webhooks
