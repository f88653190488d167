#include "egress/egress_settings.hpp"

#include <string>

#include "core/settings/setting_kinds.hpp"

namespace kiln::egress {

namespace {

settings::Setting Networks(const std::string& variable, EgressPolicy& target, std::string help) {
    return settings::Custom(variable, "(none)", "comma-separated CIDRs", std::move(help),
                            [&target, variable](std::string_view text) {
                                target = EgressPolicy::FromSetting(std::string(text), variable);
                            });
}

}  // namespace

void DeclareSettings(settings::Registry& registry, EgressSettings& settings) {
    // EgressPolicy names its variable in refusals; an unset list keeps the defaults' names too.
    settings.operator_policy = EgressPolicy({}, "KILN_EGRESS_ALLOWED_NETWORKS");
    settings.tenant_policy = EgressPolicy({}, "KILN_TENANT_EGRESS_ALLOWED_NETWORKS");
    registry.Add(Networks("KILN_EGRESS_ALLOWED_NETWORKS", settings.operator_policy,
                          "CIDRs (`10.0.0.0/8,fd00::/8`) that **operator-configured** destinations (endpoint "
                          "overrides) may reach although internal; plain `http://` only to these. Unset: public "
                          "addresses over https only"));
    registry.Add(Networks("KILN_TENANT_EGRESS_ALLOWED_NETWORKS", settings.tenant_policy,
                          "the same for **tenant-chosen** destinations (webhook subscription URLs, a custom "
                          "integration's `base_url`, workflow `http_request` URLs, provider hosts a tenant names). "
                          "Unset: public addresses over https only"));
}

}  // namespace kiln::egress
