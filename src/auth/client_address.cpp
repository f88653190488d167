#include "auth/client_address.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/settings/setting_kinds.hpp"
#include "core/strings.hpp"

namespace kiln::auth {

namespace {

/// One node of a forwarding header: "192.0.2.1", "192.0.2.1:4711", "[2001:db8::1]:4711",
/// "2001:db8::1" (X-Forwarded-For writes IPv6 bare). nullopt for "unknown", obfuscated ids, junk.
std::optional<egress::IpAddress> ParseNode(std::string_view node) {
    if (node.size() >= 2 && node.front() == '"' && node.back() == '"') node = node.substr(1, node.size() - 2);
    if (!node.empty() && node.front() == '[') {
        const size_t close = node.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        return egress::IpAddress::Parse(node.substr(1, close - 1));
    }
    if (std::count(node.begin(), node.end(), ':') == 1) node = node.substr(0, node.find(':'));  // IPv4:port
    return egress::IpAddress::Parse(node);
}

/// The `for=` values of a Forwarded header, in order.
std::vector<std::string_view> ForwardedFor(std::string_view header) {
    std::vector<std::string_view> nodes;
    for (const auto element : strings::SplitTrimmed(header, ',')) {
        for (const auto pair : strings::SplitTrimmed(element, ';')) {
            constexpr std::string_view kFor = "for=";
            if (pair.size() > kFor.size() && strings::StartsWithIgnoreCase(pair, kFor))
                nodes.push_back(pair.substr(kFor.size()));
        }
    }
    return nodes;
}

}  // namespace

TrustedProxies TrustedProxies::Parse(std::string_view setting) {
    std::vector<egress::IpNetwork> networks;
    std::string normalised(setting);
    std::replace(normalised.begin(), normalised.end(), ' ', ',');
    for (const auto entry : strings::SplitTrimmed(normalised, ',')) {
        if (entry.empty()) continue;
        auto network = egress::IpNetwork::Parse(entry);
        if (!network)
            throw std::invalid_argument("must be CIDR blocks separated by commas or blanks; \"" + std::string(entry) +
                                        "\" is not one");
        networks.push_back(*network);
    }
    return TrustedProxies(std::move(networks));
}

bool TrustedProxies::Contains(const egress::IpAddress& address) const {
    return std::any_of(networks_.begin(), networks_.end(),
                       [&](const egress::IpNetwork& network) { return network.Contains(address); });
}

egress::IpAddress ClientAddress(const ClientOrigin& origin, const TrustedProxies& proxies) {
    auto peer = egress::IpAddress::Parse(origin.peer);
    if (!peer) return {};  // not an IP socket: everyone unknown shares one key
    if (!proxies.Contains(*peer)) return *peer;
    std::vector<std::string_view> chain;
    if (origin.forwarded) {
        chain = ForwardedFor(*origin.forwarded);
    } else if (origin.x_forwarded_for) {
        chain = strings::SplitTrimmed(*origin.x_forwarded_for, ',');
    }
    egress::IpAddress client = *peer;
    for (size_t i = chain.size(); i-- > 0;) {
        const auto hop = ParseNode(chain[i]);
        if (!hop) break;  // what lies left of an unreadable hop was written by nobody we trust
        client = *hop;
        if (!proxies.Contains(*hop)) break;
    }
    return client;
}

std::string RateLimitKey(const egress::IpAddress& address) {
    if (address.IsV4()) return address.ToString();
    return egress::IpNetwork(address, 64).ToString();
}

void DeclareSettings(settings::Registry& registry, TrustedProxies& proxies) {
    registry.Add(settings::Custom(
        "KILN_TRUSTED_PROXIES", "(none)", "CIDRs separated by commas or blanks",
        "reverse proxies whose `Forwarded` / `X-Forwarded-For` give the client address (for the sign-in limiter and "
        "session records); from any other peer the headers are ignored",
        [&proxies](std::string_view text) { proxies = TrustedProxies::Parse(text); }));
}

}  // namespace kiln::auth
