#pragma once

#include "modules/module.hpp"

namespace kiln::notifications {

/// The notifications module: in-app notifications.
class NotificationsModule final : public modules::Module {
  public:
    std::string_view name() const override { return "notifications"; }
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::notifications
