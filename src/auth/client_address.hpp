#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "core/settings/registry.hpp"
#include "egress/ip_address.hpp"

namespace kiln::auth {

/// The proxies whose `Forwarded` / `X-Forwarded-For` headers Kiln believes (KILN_TRUSTED_PROXIES,
/// a comma- or space-separated CIDR list). With none configured the headers are ignored: any
/// client can write them, so believing them would let an attacker choose the address it is
/// rate-limited under.
class TrustedProxies final {
  public:
    TrustedProxies() = default;
    explicit TrustedProxies(std::vector<egress::IpNetwork> networks) : networks_(std::move(networks)) {}

    /// Throws std::invalid_argument naming the entry that is not a CIDR block.
    static TrustedProxies Parse(std::string_view setting);

    bool Contains(const egress::IpAddress& address) const;

  private:
    std::vector<egress::IpNetwork> networks_;
};

/// What a request says about where it came from: the socket peer and the forwarding headers.
struct ClientOrigin {
    std::string_view peer;                       // the socket's remote address, as text
    std::optional<std::string> forwarded;        // `Forwarded` (RFC 7239)
    std::optional<std::string> x_forwarded_for;  // `X-Forwarded-For`
};

/// The address of the client: the socket peer, unless the peer is a trusted proxy; then the
/// nearest address in the forwarding chain that is not itself a trusted proxy (walked from the
/// right, since only the entries our own proxies appended are trustworthy). `Forwarded` wins over
/// `X-Forwarded-For` when both are present.
egress::IpAddress ClientAddress(const ClientOrigin& origin, const TrustedProxies& proxies);

/// What rate limits count a client under: an IPv4 address as is, an IPv6 address by its /64
/// (one subscriber commonly holds a whole /64, so counting single addresses counts nothing).
std::string RateLimitKey(const egress::IpAddress& address);

/// Declares KILN_TRUSTED_PROXIES, parsed into `proxies`.
void DeclareSettings(settings::Registry& registry, TrustedProxies& proxies);

}  // namespace kiln::auth
