#include "egress/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace kiln::egress {

namespace {

constexpr std::size_t kV4Offset = 12;  // where the IPv4 bytes sit in ::ffff:a.b.c.d
constexpr int kV4PrefixBase = 96;

IpAddress V4FromBytes(const std::uint8_t* four) {
    return IpAddress::FromV4((std::uint32_t{four[0]} << 24) | (std::uint32_t{four[1]} << 16) |
                             (std::uint32_t{four[2]} << 8) | std::uint32_t{four[3]});
}

// The tables below are written as text so they read like the RFCs; a typo must fail loudly at once.
IpNetwork Network(std::string_view text) {
    auto network = IpNetwork::Parse(text);
    if (!network) throw std::logic_error("bad built-in network " + std::string(text));
    return *network;
}

bool InAny(const std::vector<IpNetwork>& networks, const IpAddress& address) {
    return std::any_of(networks.begin(), networks.end(),
                       [&](const IpNetwork& network) { return network.Contains(address); });
}

// RFC 6890 and the IANA special-purpose registry: IPv4 blocks that are not globally reachable.
const std::vector<IpNetwork>& NonPublicV4() {
    static const std::vector<IpNetwork> networks = {
        Network("0.0.0.0/8"),      Network("10.0.0.0/8"),     Network("100.64.0.0/10"), Network("127.0.0.0/8"),
        Network("169.254.0.0/16"), Network("172.16.0.0/12"),  Network("192.0.0.0/24"),  Network("192.0.2.0/24"),
        Network("192.88.99.0/24"), Network("192.168.0.0/16"), Network("198.18.0.0/15"), Network("198.51.100.0/24"),
        Network("203.0.113.0/24"), Network("224.0.0.0/4"),    Network("240.0.0.0/4"),   Network("255.255.255.255/32"),
    };
    return networks;
}

// IPv6 is decided by an allow-list: only global unicast (2000::/3) can be public, minus the blocks
// below. Everything else (::/8 with the IPv4-compatible and SIIT forms, 100::/64, fc00::/7 including
// fd00:ec2::254, fe80::/10, fec0::/10, ff00::/8) is refused without being listed.
const std::vector<IpNetwork>& NonPublicGlobalV6() {
    static const std::vector<IpNetwork> networks = {
        Network("2001::/23"),      // IETF protocol assignments: Teredo, ORCHID, benchmarking
        Network("2001:db8::/32"),  // documentation
        Network("3fff::/20"),      // documentation (RFC 9637)
    };
    return networks;
}

bool IsPublicV4(const IpAddress& address) {
    return !InAny(NonPublicV4(), address);
}

bool IsPublicV6(const IpAddress& address) {
    static const IpNetwork nat64 = Network("64:ff9b::/96");
    static const IpNetwork six_to_four = Network("2002::/16");
    static const IpNetwork global_unicast = Network("2000::/3");
    const auto& bytes = address.bytes();
    // Translators and relays deliver to the embedded IPv4 address, so that address decides.
    if (nat64.Contains(address)) return IsPublicV4(V4FromBytes(&bytes[kV4Offset]));
    if (six_to_four.Contains(address)) return IsPublicV4(V4FromBytes(&bytes[2]));
    return global_unicast.Contains(address) && !InAny(NonPublicGlobalV6(), address);
}

std::optional<int> ParsePrefixLength(std::string_view text, int max) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || text.size() > 3 || error != std::errc() || ptr != end || value < 0 || value > max) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    const std::string terminated(text);
    in_addr v4{};
    if (inet_pton(AF_INET, terminated.c_str(), &v4) == 1) return FromV4(ntohl(v4.s_addr));
    Bytes bytes{};
    if (inet_pton(AF_INET6, terminated.c_str(), bytes.data()) == 1) return IpAddress(bytes);
    return std::nullopt;
}

std::optional<IpAddress> IpAddress::ParseLegacyIPv4(std::string_view text) {
    // inet_aton stops at whitespace and ignores what follows; a host name never has any, so only
    // the characters of the numeric forms are let through.
    const bool numeric_form = !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x' || c == 'X' ||
               c == '.';
    });
    if (!numeric_form) return std::nullopt;
    const std::string terminated(text);
    in_addr v4{};
    if (inet_aton(terminated.c_str(), &v4) == 0) return std::nullopt;
    return FromV4(ntohl(v4.s_addr));
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* address) {
    if (address == nullptr) return std::nullopt;
    if (address->sa_family == AF_INET) {
        sockaddr_in v4{};
        std::memcpy(&v4, address, sizeof v4);
        return FromV4(ntohl(v4.sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 v6{};
        std::memcpy(&v6, address, sizeof v6);
        Bytes bytes{};
        std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
        return IpAddress(bytes);
    }
    return std::nullopt;
}

IpAddress IpAddress::FromV4(std::uint32_t host_order) {
    Bytes bytes{};
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes[12] = static_cast<std::uint8_t>(host_order >> 24);
    bytes[13] = static_cast<std::uint8_t>(host_order >> 16);
    bytes[14] = static_cast<std::uint8_t>(host_order >> 8);
    bytes[15] = static_cast<std::uint8_t>(host_order);
    return IpAddress(bytes);
}

bool IpAddress::IsV4() const {
    static constexpr std::array<std::uint8_t, kV4Offset> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes_.begin());
}

std::uint32_t IpAddress::V4() const {
    return (std::uint32_t{bytes_[12]} << 24) | (std::uint32_t{bytes_[13]} << 16) | (std::uint32_t{bytes_[14]} << 8) |
           std::uint32_t{bytes_[15]};
}

std::string IpAddress::ToString() const {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (IsV4()) {
        in_addr v4{};
        v4.s_addr = htonl(V4());
        inet_ntop(AF_INET, &v4, text.data(), text.size());
    } else {
        inet_ntop(AF_INET6, bytes_.data(), text.data(), text.size());
    }
    return text.data();
}

IpNetwork::IpNetwork(IpAddress base, int prefix_length) : prefix_length_(std::clamp(prefix_length, 0, 128)) {
    auto bytes = base.bytes();
    for (int bit = prefix_length_; bit < 128; ++bit) {
        bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80U >> (bit % 8)));
    }
    base_ = IpAddress(bytes);
}

std::optional<IpNetwork> IpNetwork::Parse(std::string_view text) {
    const auto slash = text.find('/');
    const std::string_view address_text = text.substr(0, slash);
    const auto address = IpAddress::Parse(address_text);
    if (!address) return std::nullopt;
    // The notation, not the stored form, says which family the prefix counts in: "::ffff:0:0/96"
    // is an IPv6 block even though its base is an IPv4-mapped address.
    const bool v4_notation = address_text.find(':') == std::string_view::npos;
    const int max = v4_notation ? 32 : 128;
    int prefix = max;
    if (slash != std::string_view::npos) {
        const auto parsed = ParsePrefixLength(text.substr(slash + 1), max);
        if (!parsed) return std::nullopt;
        prefix = *parsed;
    }
    return IpNetwork(*address, v4_notation ? kV4PrefixBase + prefix : prefix);
}

bool IpNetwork::Contains(const IpAddress& address) const {
    const auto& mine = base_.bytes();
    const auto& theirs = address.bytes();
    const auto whole_bytes = static_cast<std::size_t>(prefix_length_ / 8);
    if (!std::equal(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(whole_bytes), theirs.begin())) {
        return false;
    }
    const int rest = prefix_length_ % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xffU << (8 - rest));
    return (mine[whole_bytes] & mask) == (theirs[whole_bytes] & mask);
}

std::string IpNetwork::ToString() const {
    const bool v4 = base_.IsV4() && prefix_length_ >= kV4PrefixBase;
    return base_.ToString() + "/" + std::to_string(v4 ? prefix_length_ - kV4PrefixBase : prefix_length_);
}

bool IsPublicAddress(const IpAddress& address) {
    return address.IsV4() ? IsPublicV4(address) : IsPublicV6(address);
}

}  // namespace kiln::egress
