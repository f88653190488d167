#include "modules/health/health_module.hpp"

#include "modules/health/health_routes.hpp"

namespace kiln::health {

void HealthModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterHealthRoutes(routes);
}

}  // namespace kiln::health
