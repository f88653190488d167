#include "modules/common/crud_routes.hpp"

#include <cctype>
#include <stdexcept>

#include "http/route_group.hpp"
#include "modules/common/changes.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::common {

namespace {

/// The events a collection's routes publish: its lifecycle and one per action.
std::vector<std::string> PublishedEvents(const std::string& noun, const std::vector<std::string>& verbs) {
    std::vector<std::string> names = {noun + ".created", noun + ".updated", noun + ".deleted"};
    for (const auto& verb : verbs) names.push_back(noun + "." + PastTense(verb));
    return names;
}

/// "sales_order" → "SalesOrder", for operation ids.
std::string TypeName(const std::string& noun) {
    std::string out;
    bool upper = true;
    for (const char c : noun) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

/// The JSON Schema of an object as the API returns it: the fields of its create body plus the
/// id and timestamps the server adds. Objects carry more than that (numbers, statuses, totals),
/// so the schema is open: workflow conditions may name fields it does not list.
nlohmann::json StoredObjectSchema(const http::Schema& create_body) {
    nlohmann::json schema = create_body.ToJsonSchema();
    schema.erase("required");
    schema.erase("additionalProperties");
    schema["properties"]["id"] = {{"type", "string"}, {"format", "uuid"}};
    schema["properties"]["created_at"] = {{"type", "string"}, {"format", "date-time"}};
    schema["properties"]["updated_at"] = {{"type", "string"}, {"format", "date-time"}};
    return schema;
}

}  // namespace

void DeclareCrudEvents(events::EventTypeRegistry& registry, const std::string& noun, const http::Schema& create_body,
                       const std::vector<std::string>& action_verbs) {
    // RecordChange writes {"<noun>": the object as the API shows it}, plus "changes" (from/to per field).
    const nlohmann::json object_schema = StoredObjectSchema(create_body);
    const nlohmann::json with_object = {
        {"type", "object"}, {"required", {noun}}, {"properties", {{noun, object_schema}}}};
    nlohmann::json with_changes = with_object;
    with_changes["required"].push_back("changes");
    with_changes["properties"]["changes"] = {
        {"type", "object"},
        {"description", "Each changed field with its old and new value"},
        {"additionalProperties", {{"type", "object"}, {"required", {"from", "to"}}}}};
    registry.Declare({noun + ".created", "A " + noun + " was created", with_object});
    registry.Declare({noun + ".updated", "A " + noun + " was changed", with_changes});
    registry.Declare({noun + ".deleted", "A " + noun + " was deleted; data holds its last state", with_object});
    for (const auto& verb : action_verbs)
        registry.Declare({noun + "." + PastTense(verb), "A " + noun + " was " + PastTense(verb), with_changes});
}

void AddCrudRoutes(http::RouteTable& routes, CrudRoutes spec) {
    std::vector<std::string> verbs;
    for (const auto& action : spec.actions) verbs.push_back(action.verb);
    for (const auto& name : PublishedEvents(spec.noun, verbs))
        if (!events::EventTypeRegistry::Instance().Contains(name))
            throw std::logic_error("the " + spec.noun + " routes publish " + name +
                                   ", which no module declared (Module::DeclareEventTypes, DeclareCrudEvents)");
    const std::string plural = spec.noun + "s";
    const std::string type_name = TypeName(spec.noun);
    const std::string collection = spec.path.empty() ? "/" + plural : spec.path;
    const std::string item = collection + "/{id}";

    auto list_query = std::move(spec.list_filters);
    list_query.push_back({"limit", "integer", "Page size"});
    list_query.push_back({"cursor", "string", "next_cursor of the previous page"});
    http::RouteGroup group(routes, spec.tag, plural, spec.noun);
    group.Add({.method = http::Method::kGet,
               .path = collection,
               .operation_id = "list" + type_name + "s",
               .summary = type_name + "s, newest first",
               .query = std::move(list_query),
               .handler = std::move(spec.list)},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = collection,
               .operation_id = "create" + type_name,
               .summary = "Create a " + spec.noun,
               .body = std::move(spec.create_body),
               .success_status = 201,
               .creates = true,
               .handler = std::move(spec.create)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = item,
               .operation_id = "get" + type_name,
               .summary = "A " + spec.noun,
               .handler = std::move(spec.get)},
              "read");
    group.Add({.method = http::Method::kPut,
               .path = item,
               .operation_id = "update" + type_name,
               .summary = "Change the fields given; the others keep their values",
               .body = std::move(spec.update_body),
               .handler = std::move(spec.update)},
              "update");
    group.Add({.method = http::Method::kDelete,
               .path = item,
               .operation_id = "delete" + type_name,
               .summary = "Delete a " + spec.noun,
               .success_status = 204,
               .handler = std::move(spec.remove)},
              "delete");
    for (auto& action : spec.actions)
        group.Add({.method = http::Method::kPost,
                   .path = item + "/" + action.verb,
                   .operation_id = action.verb + type_name,
                   .summary = std::move(action.summary),
                   .handler = std::move(action.handler)},
                  "update");
}

}  // namespace kiln::common
