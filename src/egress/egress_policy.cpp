#include "egress/egress_policy.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/strings.hpp"

namespace kiln::egress {

const char* TrustName(Trust trust) {
    return trust == Trust::kOperator ? "operator" : "tenant";
}

EgressPolicy::EgressPolicy(std::vector<IpNetwork> allowed_networks, std::string setting)
    : allowed_networks_(std::move(allowed_networks)), setting_(std::move(setting)) {}

EgressPolicy EgressPolicy::FromSetting(const std::string& comma_separated_cidrs, const std::string& setting) {
    std::vector<IpNetwork> networks;
    for (const auto entry : strings::SplitTrimmed(comma_separated_cidrs, ',')) {
        if (entry.empty()) continue;
        auto network = IpNetwork::Parse(entry);
        if (!network) {
            throw std::invalid_argument("must be comma-separated CIDRs such as 10.0.0.0/8 or fd00::/8; \"" +
                                        std::string(entry) + "\" is not one");
        }
        networks.push_back(*network);
    }
    return EgressPolicy(std::move(networks), setting);
}

bool EgressPolicy::Allows(const IpAddress& address) const {
    return IsPublicAddress(address) || AllowsPlainHttp(address);
}

bool EgressPolicy::AllowsPlainHttp(const IpAddress& address) const {
    return std::any_of(allowed_networks_.begin(), allowed_networks_.end(),
                       [&](const IpNetwork& network) { return network.Contains(address); });
}

}  // namespace kiln::egress
