#pragma once

#include <string>
#include <vector>

#include "http/route.hpp"

namespace kiln::common {

/// A tenant-owned collection with the usual five routes: GET and POST on `/<noun>s`, and GET,
/// PUT (partial update) and DELETE on `/<noun>s/{id}`, guarded by `<noun>s:read|create|update|delete`.
struct CrudRoutes {
    std::string noun;  // "product": the entity type, and the stem of paths, permissions and operation ids
    std::string tag;
    std::vector<http::QueryParameter> list_filters;  // limit and cursor are added
    http::Schema create_body;
    http::Schema update_body;
    http::Handler list, create, get, update, remove;
};

/// Adds the five routes and declares the collection's `<noun>.created|updated|deleted` events.
void AddCrudRoutes(http::RouteTable& routes, CrudRoutes spec);

}  // namespace kiln::common
