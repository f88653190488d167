#include "modules/events/event_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::events {

namespace {

http::Response ListEvents(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto type = ctx.Query("type");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& event : EventOutbox::List(ctx.scope(), type, page.after_id, page.limit))
        items.push_back(event.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response ListEventTypes(http::RequestContext& /*ctx*/) {
    nlohmann::json types = nlohmann::json::array();
    for (const auto& t : EventTypeRegistry::Instance().types())
        types.push_back({{"name", t.name}, {"description", t.description}, {"data_schema", t.data_schema}});
    return http::Response::Json(200, {{"data", types}});
}

}  // namespace

void RegisterEventRoutes(http::RouteTable& routes) {
    routes.Add({.method = http::Method::kGet,
                .path = "/events",
                .operation_id = "listEvents",
                .summary = "The tenant's recent events, newest first",
                .tag = "events",
                .permission = "events:read",
                .query = {{"type", "string", "Only events of this type"},
                          {"limit", "integer", "Page size"},
                          {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "event",
                .handler = ListEvents});
    routes.Add({.method = http::Method::kGet,
                .path = "/events/types",
                .operation_id = "listEventTypes",
                .summary = "Every event type with the JSON Schema of its data",
                .tag = "events",
                .access = http::Access::kAuthenticated,
                .entity_type = "event_type",
                .handler = ListEventTypes});
}

}  // namespace kiln::events
