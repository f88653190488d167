#include "egress/egress_policy.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace kiln::egress {

namespace {

std::string_view Trim(std::string_view text) {
    constexpr std::string_view kBlanks = " \t\r\n";
    const auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kBlanks);
    return text.substr(first, last - first + 1);
}

}  // namespace

const char* TrustName(Trust trust) {
    return trust == Trust::kOperator ? "operator" : "tenant";
}

EgressPolicy::EgressPolicy(std::vector<IpNetwork> allowed_networks, std::string setting)
    : allowed_networks_(std::move(allowed_networks)), setting_(std::move(setting)) {}

EgressPolicy EgressPolicy::FromSetting(const std::string& comma_separated_cidrs, const std::string& setting) {
    std::vector<IpNetwork> networks;
    std::string_view rest = comma_separated_cidrs;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view entry = Trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (entry.empty()) continue;
        auto network = IpNetwork::Parse(entry);
        if (!network) {
            throw std::invalid_argument(setting + ": \"" + std::string(entry) +
                                        "\" is not a CIDR such as 10.0.0.0/8 or fd00::/8");
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
