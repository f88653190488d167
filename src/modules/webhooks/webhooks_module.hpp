#pragma once

#include "modules/module.hpp"
#include "modules/webhooks/webhook_service.hpp"

namespace kiln::webhooks {

/// The webhooks module: outgoing webhooks: subscriptions, the consumer that fans events out to them, and the delivery
/// jobs.
class WebhooksModule final : public modules::Module {
  public:
    explicit WebhooksModule(const WebhookService& service) : service_(service) {}

    std::string_view name() const override { return "webhooks"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterEventConsumers(events::EventDispatcher& dispatcher) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const override;

  private:
    const WebhookService& service_;
};

}  // namespace kiln::webhooks
