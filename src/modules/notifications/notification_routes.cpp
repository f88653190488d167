#include "modules/notifications/notification_routes.hpp"

#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/notifications/notification_repository.hpp"

namespace kiln::notifications {

namespace {

bool UnreadOnly(const http::RequestContext& ctx) {
    const auto unread = ctx.Query("unread");
    if (!unread || *unread == "false") return false;
    if (*unread == "true") return true;
    throw ValidationError("unread", "must be true or false");
}

http::Response ListNotifications(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& n :
         NotificationRepository::List(ctx.scope(), ctx.principal().user_id, UnreadOnly(ctx), page.after_id, page.limit))
        items.push_back(n.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response UnreadCount(http::RequestContext& ctx) {
    return http::Response::Json(
        200, {{"unread", NotificationRepository::UnreadCount(ctx.scope(), ctx.principal().user_id)}});
}

http::Response MarkRead(http::RequestContext& ctx) {
    const NotificationId id(ctx.IdParam("id"));
    const auto notification = NotificationRepository::MarkRead(ctx.scope(), ctx.principal().user_id, id, Now());
    if (!notification) throw ctx.NotFoundError();
    ctx.Audit("notifications.read", id.str());
    return http::Response::Json(200, notification->ToJson());
}

http::Response MarkAllRead(http::RequestContext& ctx) {
    const auto marked = NotificationRepository::MarkAllRead(ctx.scope(), ctx.principal().user_id, Now());
    ctx.Audit("notifications.read_all", ctx.principal().user_id.str(), {{"marked", marked}});
    return http::Response::Json(200, {{"marked", marked}});
}

}  // namespace

void RegisterNotificationRoutes(http::RouteTable& routes) {
    http::RouteGroup group(routes, "notifications", "notifications", "notification");
    group.Add({.method = http::Method::kGet,
               .path = "/notifications",
               .operation_id = "listNotifications",
               .summary = "Your notifications in this tenant, newest first",
               .query = {{"unread", "string", "true: only unread ones"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = ListNotifications},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = "/notifications/unread-count",
               .operation_id = "countUnreadNotifications",
               .summary = "How many of your notifications are unread",
               .handler = UnreadCount},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/notifications/{id}/read",
               .operation_id = "markNotificationRead",
               .summary = "Mark one of your notifications read",
               .handler = MarkRead},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/notifications/read-all",
               .operation_id = "markAllNotificationsRead",
               .summary = "Mark all your notifications read",
               .handler = MarkAllRead},
              "read");
}

}  // namespace kiln::notifications
