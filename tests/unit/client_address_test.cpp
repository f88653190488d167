// Which address the sign-in limiter counts a client under (auth/client_address): forwarding headers
// only from trusted proxies, IPv6 by /64.
#include <gtest/gtest.h>

#include "auth/client_address.hpp"

namespace kiln {
namespace {

struct Sent {
    std::string peer;
    std::vector<std::pair<std::string, std::string>> headers;
};

Sent From(std::string peer, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return {std::move(peer), std::move(headers)};
}

std::string Client(const Sent& sent, const auth::TrustedProxies& proxies) {
    auth::ClientOrigin origin{sent.peer, std::nullopt, std::nullopt};
    for (const auto& [name, value] : sent.headers)
        (name == "forwarded" ? origin.forwarded : origin.x_forwarded_for) = value;
    return auth::ClientAddress(origin, proxies).ToString();
}

TEST(ClientAddress, ForwardingHeadersOfAnUntrustedPeerAreIgnored) {
    const auto none = auth::TrustedProxies::Parse("");
    EXPECT_EQ(Client(From("203.0.113.9", {{"x-forwarded-for", "198.51.100.1"}}), none), "203.0.113.9");
    EXPECT_EQ(Client(From("203.0.113.9", {{"forwarded", "for=198.51.100.1"}}), none), "203.0.113.9");
    const auto proxies = auth::TrustedProxies::Parse("10.0.0.0/8");
    EXPECT_EQ(Client(From("203.0.113.9", {{"x-forwarded-for", "198.51.100.1"}}), proxies), "203.0.113.9");
}

TEST(ClientAddress, TrustedProxiesAreWalkedFromTheRight) {
    const auto proxies = auth::TrustedProxies::Parse("10.0.0.0/8, 192.168.1.1");
    // The client may prepend anything; only what our proxies appended counts.
    EXPECT_EQ(Client(From("10.0.0.2", {{"x-forwarded-for", "1.1.1.1, 198.51.100.7, 192.168.1.1"}}), proxies),
              "198.51.100.7");
    EXPECT_EQ(Client(From("10.0.0.2", {{"x-forwarded-for", "garbage, 198.51.100.7"}}), proxies), "198.51.100.7");
    EXPECT_EQ(Client(From("10.0.0.2", {{"x-forwarded-for", "198.51.100.7, garbage"}}), proxies), "10.0.0.2");
    EXPECT_EQ(
        Client(From("10.0.0.2", {{"forwarded", R"(for="[2001:db8::1]:4711";proto=https, for=10.1.1.1)"}}), proxies),
        "2001:db8::1");
    EXPECT_EQ(
        Client(From("10.0.0.2", {{"forwarded", "for=198.51.100.8:1234"}, {"x-forwarded-for", "1.1.1.1"}}), proxies),
        "198.51.100.8")
        << "Forwarded wins over X-Forwarded-For";
    EXPECT_EQ(Client(From("10.0.0.2"), proxies), "10.0.0.2");
}

TEST(ClientAddress, Ipv6CountsByItsSlash64) {
    const auto a = egress::IpAddress::Parse("2001:db8:1:2::1");
    const auto b = egress::IpAddress::Parse("2001:db8:1:2:ffff::9");
    const auto c = egress::IpAddress::Parse("2001:db8:1:3::1");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(auth::RateLimitKey(*a), auth::RateLimitKey(*b));
    EXPECT_NE(auth::RateLimitKey(*a), auth::RateLimitKey(*c));
    EXPECT_EQ(auth::RateLimitKey(*egress::IpAddress::Parse("198.51.100.7")), "198.51.100.7");
}

TEST(ClientAddress, ABadTrustedProxiesSettingIsRefused) {
    EXPECT_THROW(auth::TrustedProxies::Parse("10.0.0.0/8,not-a-network"), std::invalid_argument);
}

}  // namespace
}  // namespace kiln
