#pragma once

#include <string>
#include <vector>

#include "egress/ip_address.hpp"

namespace kiln::egress {

/// Which addresses outbound calls may reach. Public addresses always; internal ones only inside a
/// network the operator listed in KILN_EGRESS_ALLOWED_NETWORKS (development, tests, a known
/// internal service). Immutable, so a decision about an address never changes for one client.
class EgressPolicy final {
  public:
    EgressPolicy() = default;  // nothing internal is reachable
    explicit EgressPolicy(std::vector<IpNetwork> allowed_networks);

    /// "10.0.0.0/8, 127.0.0.1/32": comma-separated CIDRs, blanks ignored. Throws
    /// std::invalid_argument naming the first entry that is not a CIDR.
    static EgressPolicy FromSetting(const std::string& comma_separated_cidrs);

    bool Allows(const IpAddress& address) const;
    /// Plain http carries secrets and bodies in the clear, so it is only for listed networks.
    bool AllowsPlainHttp(const IpAddress& address) const;

    bool HasAllowedNetworks() const { return !allowed_networks_.empty(); }
    const std::vector<IpNetwork>& allowed_networks() const { return allowed_networks_; }

  private:
    std::vector<IpNetwork> allowed_networks_;
};

}  // namespace kiln::egress
