#pragma once

#include "core/settings/registry.hpp"
#include "egress/egress_policy.hpp"

namespace kiln::egress {

/// Which internal networks outbound calls may reach, by who chose the destination (see Trust).
struct EgressSettings {
    EgressPolicy operator_policy;  // KILN_EGRESS_ALLOWED_NETWORKS
    EgressPolicy tenant_policy;    // KILN_TENANT_EGRESS_ALLOWED_NETWORKS
};

/// Declares KILN_EGRESS_ALLOWED_NETWORKS and KILN_TENANT_EGRESS_ALLOWED_NETWORKS, parsed into
/// `settings` (a list that is not CIDRs stops the start).
void DeclareSettings(settings::Registry& registry, EgressSettings& settings);

}  // namespace kiln::egress
