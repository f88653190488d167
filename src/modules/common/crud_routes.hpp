#pragma once

#include <string>
#include <vector>

#include "http/route.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::common {

/// A state change of one object that is not a field edit (confirm an order, cancel it): a
/// `POST <item>/<verb>` without a body, guarded by `<noun>s:update`, publishing `<noun>.<PastTense(verb)>`.
struct CrudAction {
    std::string verb;  // "confirm"
    std::string summary;
    http::Handler handler;
};

/// A tenant-owned collection with the usual five routes: GET and POST on `/<noun>s`, and GET,
/// PUT (partial update) and DELETE on `/<noun>s/{id}`, guarded by `<noun>s:read|create|update|delete`.
struct CrudRoutes {
    std::string noun;  // "product": the entity type, and the stem of paths, permissions and operation ids
    std::string tag;
    std::vector<http::QueryParameter> list_filters;  // limit and cursor are added
    http::Schema create_body;
    http::Schema update_body;
    http::Handler list, create, get, update, remove;
    std::string path;                 // the collection's path when not "/<noun>s", e.g. "/sales-orders"
    std::vector<CrudAction> actions;  // POST <item>/<verb>
};

/// Declares the events a collection's routes publish: `<noun>.created|updated|deleted` and
/// `<noun>.<PastTense(verb)>` per action verb, their `data` schemas made from `create_body`. Called by the module's
/// DeclareEventTypes.
void DeclareCrudEvents(events::EventTypeRegistry& registry, const std::string& noun, const http::Schema& create_body,
                       const std::vector<std::string>& action_verbs = {});

/// Adds the five routes and the actions. Throws std::logic_error when the collection's events were not declared
/// (DeclareCrudEvents), so a module whose routes and declarations disagree does not start.
void AddCrudRoutes(http::RouteTable& routes, CrudRoutes spec);

}  // namespace kiln::common
