#pragma once

#include "modules/module.hpp"

namespace kiln::events {

/// The events module: the event log and the dispatch job that fans each event out to the consumers.
class EventsModule final : public modules::Module {
  public:
    explicit EventsModule(const EventDispatcher& dispatcher) : dispatcher_(dispatcher) {}

    std::string_view name() const override { return "events"; }
    void RegisterRoutes(http::RouteTable& routes) const override;
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const override;

  private:
    const EventDispatcher& dispatcher_;
};

}  // namespace kiln::events
