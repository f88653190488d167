#include "modules/events/event_dispatcher.hpp"

#include <stdexcept>

namespace kiln::events {

void EventDispatcher::AddConsumer(std::string name, EventFanOut fan_out) {
    consumers_.push_back({std::move(name), std::move(fan_out)});
}

void EventDispatcher::Dispatch(const db::TenantScope& scope, const StoredEvent& event) const {
    for (const auto& consumer : consumers_) consumer.fan_out(scope, event);
}

void EventDispatcher::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    registry.Register(std::string(kJobKind), [this](const jobs::JobContext& job) {
        const std::string event_id = job.payload.at("event_id");
        auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job.tenant);
        const auto event = EventOutbox::Find(scope, event_id);
        // Events are never deleted while their dispatch is pending; a missing one is a bug worth
        // seeing in the job's last_error, not a silent success.
        if (!event) throw std::runtime_error("event " + event_id + " not found");
        Dispatch(scope, *event);
        tx.Commit();
    });
}

}  // namespace kiln::events
