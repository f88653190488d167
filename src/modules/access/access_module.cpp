#include "modules/access/access_module.hpp"

#include "modules/access/access_routes.hpp"

namespace kiln::access {

void AccessModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterSessionRoutes(routes, config_, limiter_, proxies_);
    RegisterTokenRoutes(routes);
}

}  // namespace kiln::access
