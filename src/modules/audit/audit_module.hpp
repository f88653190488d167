#pragma once

#include "core/secret_vault.hpp"
#include "modules/module.hpp"

namespace kiln::audit {

/// The audit module: the audit trail and the proof of its hash chain.
class AuditModule final : public modules::Module {
  public:
    explicit AuditModule(const SecretVault& vault) : vault_(vault) {}

    std::string_view name() const override { return "audit"; }
    void RegisterRoutes(http::RouteTable& routes) const override;

  private:
    const SecretVault& vault_;
};

}  // namespace kiln::audit
