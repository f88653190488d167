#include "modules/catalog/catalog_module.hpp"

#include "modules/catalog/product_routes.hpp"
#include "modules/catalog/stock_routes.hpp"
#include "modules/catalog/stock_service.hpp"

namespace kiln::catalog {

void CatalogModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareProductEvents(registry);
    StockService::DeclareEvents(registry);
}

void CatalogModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterProductRoutes(routes);
    RegisterStockRoutes(routes);
}

}  // namespace kiln::catalog
