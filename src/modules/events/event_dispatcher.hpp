#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "jobs/job_handler.hpp"
#include "modules/events/event_outbox.hpp"

namespace kiln::events {

/// Turns one event into the jobs of everything that reacts to it (workflow runs, webhook
/// deliveries, plugin hooks). Runs inside the dispatch job's transaction and must enqueue with
/// dedupe keys derived from the event, so that dispatching the same event again adds nothing.
using EventFanOut = std::function<void(const db::TenantScope& scope, const StoredEvent& event)>;

/// The fan-out of DESIGN §5: EventOutbox::Record enqueues one `event.dispatch` job per event in
/// the business transaction; that job calls every consumer's fan-out in one transaction. A crash
/// before the commit re-runs the whole dispatch, and the consumers' dedupe keys make the repeat a
/// no-op, so every consumer sees every event once.
class EventDispatcher final {
  public:
    static constexpr std::string_view kJobKind = "event.dispatch";

    /// Filled while the process starts, read-only once workers run.
    void AddConsumer(std::string name, EventFanOut fan_out);
    /// Registers the `event.dispatch` handler; `this` must outlive the workers.
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const;

    /// Dispatches one stored event to every consumer in the caller's transaction.
    void Dispatch(const db::TenantScope& scope, const StoredEvent& event) const;

  private:
    struct Consumer {
        std::string name;
        EventFanOut fan_out;
    };
    std::vector<Consumer> consumers_;
};

}  // namespace kiln::events
