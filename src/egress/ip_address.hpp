#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace kiln::egress {

/// An IPv4 or IPv6 address in one 16-byte form: IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d),
/// so one comparison covers both families and a mapped address can never pass as "IPv6, not IPv4".
class IpAddress final {
  public:
    using Bytes = std::array<std::uint8_t, 16>;

    IpAddress() = default;  // ::
    explicit IpAddress(const Bytes& bytes) : bytes_(bytes) {}

    /// A literal in canonical notation: dotted-quad IPv4 or RFC 4291 IPv6 (no brackets, no zone).
    static std::optional<IpAddress> Parse(std::string_view text);

    /// IPv4 as inet_aton reads it: "2130706433", "0177.0.0.1", "0x7f.1" and "127.1" are all 127.0.0.1.
    /// Resolvers and URL parsers accept these forms, so the guard must recognise them too.
    static std::optional<IpAddress> ParseLegacyIPv4(std::string_view text);

    /// The address of an AF_INET or AF_INET6 socket address; nullopt for any other family.
    static std::optional<IpAddress> FromSockaddr(const sockaddr* address);

    static IpAddress FromV4(std::uint32_t host_order);

    bool IsV4() const;
    /// The IPv4 address in host byte order; meaningful only when IsV4().
    std::uint32_t V4() const;
    const Bytes& bytes() const { return bytes_; }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    std::string ToString() const;

    bool operator==(const IpAddress&) const = default;

  private:
    Bytes bytes_{};
};

/// A CIDR block. IPv4 blocks are stored as their IPv4-mapped form (prefix + 96), so "10.0.0.0/8"
/// contains the mapped address ::ffff:10.1.2.3 as well.
class IpNetwork final {
  public:
    IpNetwork(IpAddress base, int prefix_length);

    /// "10.0.0.0/8", "fc00::/7", or a bare address (a /32 or /128). Host bits are cleared.
    static std::optional<IpNetwork> Parse(std::string_view text);

    bool Contains(const IpAddress& address) const;
    std::string ToString() const;

  private:
    IpAddress base_;
    int prefix_length_;  // over the 16-byte form
};

/// False for every address that is not globally routable: private, loopback, link-local (cloud
/// metadata), CGNAT, ULA, multicast, documentation, benchmarking, reserved, and the IPv6 forms that
/// embed such an IPv4 address (mapped, NAT64, 6to4, IPv4-compatible).
bool IsPublicAddress(const IpAddress& address);

}  // namespace kiln::egress
