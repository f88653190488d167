#include "modules/catalog/catalog_module.hpp"

#include "modules/catalog/product_routes.hpp"

namespace kiln::catalog {

void CatalogModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareProductEvents(registry);
}

void CatalogModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterProductRoutes(routes);
}

}  // namespace kiln::catalog
