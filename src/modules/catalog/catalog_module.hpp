#pragma once

#include "modules/module.hpp"

namespace kiln::catalog {

/// The catalog module: products and their stock.
class CatalogModule final : public modules::Module {
  public:
    std::string_view name() const override { return "catalog"; }
    void DeclareEventTypes(events::EventTypeRegistry& registry) const override;
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::catalog
