#pragma once

#include <string>
#include <string_view>

#include "http/route.hpp"

namespace kiln::http {

/// The routes of one resource share an OpenAPI tag, a permission prefix and the entity type the
/// audit log records; a group fills them in so that each route declares only what is its own.
class RouteGroup {
  public:
    /// e.g. RouteGroup(routes, "billing", "payments", "payment"): Add(route, "read") requires
    /// "payments:read".
    RouteGroup(RouteTable& routes, std::string tag, std::string permission_prefix, std::string entity_type);

    /// Adds `route` requiring "<prefix>:<action>". A route that names its own entity_type keeps it
    /// (one group may act on several kinds of object, e.g. the ledger's accounts and entries).
    void Add(Route route, std::string_view action);

  private:
    RouteTable& routes_;
    std::string tag_;
    std::string permission_prefix_;
    std::string entity_type_;
};

}  // namespace kiln::http
