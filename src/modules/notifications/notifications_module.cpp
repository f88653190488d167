#include "modules/notifications/notifications_module.hpp"

#include "modules/notifications/notification_routes.hpp"

namespace kiln::notifications {

void NotificationsModule::RegisterRoutes(http::RouteTable& routes) const {
    RegisterNotificationRoutes(routes);
}

}  // namespace kiln::notifications
