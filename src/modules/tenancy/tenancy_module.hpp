#pragma once

#include "modules/module.hpp"

namespace kiln::tenancy {

/// The tenancy module: tenants, their roles and their members.
class TenancyModule final : public modules::Module {
  public:
    std::string_view name() const override { return "tenancy"; }
    void RegisterRoutes(http::RouteTable& routes) const override;
};

}  // namespace kiln::tenancy
