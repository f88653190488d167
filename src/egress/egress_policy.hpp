#pragma once

#include <string>
#include <vector>

#include "egress/ip_address.hpp"

namespace kiln::egress {

/// Who chose a destination, which decides the policy that judges it. Every call site names it:
/// there is no default, so no tenant-chosen URL is judged by the operator's wider policy by accident.
enum class Trust {
    /// Set by the operator: the environment, an endpoint override a platform admin set, the
    /// platform mailer. Judged by KILN_EGRESS_ALLOWED_NETWORKS.
    kOperator,
    /// Chosen by a tenant: webhook URLs, a custom integration's base_url, workflow URLs, a shop
    /// domain. Judged by KILN_TENANT_EGRESS_ALLOWED_NETWORKS.
    kTenant,
};

/// "operator" or "tenant", for messages and logs.
const char* TrustName(Trust trust);

/// Which addresses outbound calls may reach. Public addresses always; internal ones only inside a
/// network the operator listed for the destination's trust class (development, tests, a known
/// internal service). Immutable, so a decision about an address never changes for one client.
class EgressPolicy final {
  public:
    EgressPolicy() = default;  // nothing internal is reachable
    explicit EgressPolicy(std::vector<IpNetwork> allowed_networks,
                          std::string setting = "KILN_EGRESS_ALLOWED_NETWORKS");

    /// "10.0.0.0/8, 127.0.0.1/32": comma-separated CIDRs, blanks ignored. Throws
    /// std::invalid_argument naming the first entry that is not a CIDR (the settings registry adds
    /// the variable); `setting` is the variable refusals name.
    static EgressPolicy FromSetting(const std::string& comma_separated_cidrs,
                                    const std::string& setting = "KILN_EGRESS_ALLOWED_NETWORKS");

    bool Allows(const IpAddress& address) const;
    /// Plain http carries secrets and bodies in the clear, so it is only for listed networks.
    bool AllowsPlainHttp(const IpAddress& address) const;

    bool HasAllowedNetworks() const { return !allowed_networks_.empty(); }
    const std::vector<IpNetwork>& allowed_networks() const { return allowed_networks_; }
    /// The variable that lists the networks, named in refusals so the operator knows what to change.
    const std::string& setting() const { return setting_; }

  private:
    std::vector<IpNetwork> allowed_networks_;
    std::string setting_ = "KILN_EGRESS_ALLOWED_NETWORKS";
};

}  // namespace kiln::egress
