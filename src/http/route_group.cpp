#include "http/route_group.hpp"

#include <utility>

namespace kiln::http {

RouteGroup::RouteGroup(RouteTable& routes, std::string tag, std::string permission_prefix, std::string entity_type)
    : routes_(routes),
      tag_(std::move(tag)),
      permission_prefix_(std::move(permission_prefix)),
      entity_type_(std::move(entity_type)) {}

void RouteGroup::Add(Route route, std::string_view action) {
    route.tag = tag_;
    route.permission = permission_prefix_ + ":" + std::string(action);
    if (route.entity_type.empty()) route.entity_type = entity_type_;
    routes_.Add(std::move(route));
}

}  // namespace kiln::http
