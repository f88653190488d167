#pragma once

#include "http/route.hpp"

namespace kiln::notifications {

/// GET /notifications, GET /notifications/unread-count, POST /notifications/{id}/read and
/// POST /notifications/read-all: the caller's own notifications in the tenant.
void RegisterNotificationRoutes(http::RouteTable& routes);

}  // namespace kiln::notifications
