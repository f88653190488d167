#include "modules/observability/observability_module.hpp"

#include "modules/observability/observability_routes.hpp"

namespace kiln::observability {

void ObservabilityModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterObservabilityRoutes(routes, config_, settings_, started_);
}

}  // namespace kiln::observability
