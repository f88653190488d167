#include "modules/customers/customers_module.hpp"

#include "modules/customers/customer_routes.hpp"

namespace kiln::customers {

void CustomersModule::DeclareEventTypes(events::EventTypeRegistry& registry) const {
    DeclareCustomerEvents(registry);
}

void CustomersModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterCustomerRoutes(routes);
}

}  // namespace kiln::customers
