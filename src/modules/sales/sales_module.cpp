#include "modules/sales/sales_module.hpp"

#include "modules/sales/sales_order_routes.hpp"

namespace kiln::sales {

void SalesModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareSalesOrderEvents(registry);
}

void SalesModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterSalesOrderRoutes(routes);
}

}  // namespace kiln::sales
