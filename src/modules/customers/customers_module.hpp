#pragma once

#include "modules/module.hpp"

namespace kiln::customers {

/// The customers module: customers.
class CustomersModule final : public modules::Module {
  public:
    std::string_view name() const override { return "customers"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::customers
