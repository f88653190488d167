// The outbound HTTP client and its SSRF guard: address classification, the policy, URL checks,
// and real transfers against a small HTTP server on 127.0.0.1 started by the test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "egress/egress_policy.hpp"
#include "egress/ip_address.hpp"
#include "egress/outbound_client.hpp"

namespace kiln::egress {
namespace {

using namespace std::chrono_literals;

IpAddress Ip(std::string_view text) {
    auto address = IpAddress::Parse(text);
    if (!address) throw std::invalid_argument("test address " + std::string(text));
    return *address;
}

bool IsPublic(std::string_view text) {
    return IsPublicAddress(Ip(text));
}

// ---- IpAddress and IpNetwork --------------------------------------------------------------------

TEST(IpAddress, ParsesLiteralsAndStoresIpv4AsMapped) {
    const IpAddress v4 = Ip("192.0.2.1");
    EXPECT_TRUE(v4.IsV4());
    EXPECT_EQ(v4.ToString(), "192.0.2.1");
    EXPECT_EQ(v4, Ip("::ffff:192.0.2.1"));
    EXPECT_FALSE(Ip("2001:db8::1").IsV4());
    EXPECT_EQ(Ip("2001:DB8:0::1").ToString(), "2001:db8::1");
    for (const char* bad : {"", "1.2.3", "127.1", "[::1]", "example.com", "1.2.3.4 ", "fe80::1%eth0", "::1/128"}) {
        EXPECT_FALSE(IpAddress::Parse(bad)) << bad;
    }
}

TEST(IpAddress, LegacyIpv4FormsDenoteTheAddressTheyLookLikeToAResolver) {
    for (const char* loopback :
         {"2130706433", "0177.0.0.1", "0x7f.1", "0x7f.0.0.1", "127.1", "0x7F000001", "127.0.1"}) {
        const auto address = IpAddress::ParseLegacyIPv4(loopback);
        ASSERT_TRUE(address) << loopback;
        EXPECT_EQ(address->ToString(), "127.0.0.1") << loopback;
        EXPECT_FALSE(IsPublicAddress(*address)) << loopback;
    }
    EXPECT_EQ(IpAddress::ParseLegacyIPv4("0")->ToString(), "0.0.0.0");
    EXPECT_EQ(IpAddress::ParseLegacyIPv4("0xa9fea9fe")->ToString(), "169.254.169.254");
    EXPECT_EQ(IpAddress::ParseLegacyIPv4("012.1")->ToString(), "10.0.0.1");
    for (const char* not_numeric : {"", "example.com", "1.2.3.4 x", "1.2.3.4\tx", "08.1.1.1", "1.2.3.4.5", "::1"}) {
        EXPECT_FALSE(IpAddress::ParseLegacyIPv4(not_numeric)) << not_numeric;
    }
}

TEST(IpNetwork, ParsesCidrsAndMatchesMappedAddressesWithIpv4Blocks) {
    const auto ten = IpNetwork::Parse("10.0.0.0/8");
    ASSERT_TRUE(ten);
    EXPECT_TRUE(ten->Contains(Ip("10.255.1.2")));
    EXPECT_TRUE(ten->Contains(Ip("::ffff:10.1.2.3")));
    EXPECT_FALSE(ten->Contains(Ip("11.0.0.0")));
    EXPECT_FALSE(ten->Contains(Ip("::a00:1")));  // IPv4-compatible is not IPv4
    EXPECT_EQ(ten->ToString(), "10.0.0.0/8");
    EXPECT_EQ(IpNetwork::Parse("10.1.2.3/8")->ToString(), "10.0.0.0/8");
    EXPECT_TRUE(IpNetwork::Parse("127.0.0.1")->Contains(Ip("127.0.0.1")));
    EXPECT_FALSE(IpNetwork::Parse("127.0.0.1")->Contains(Ip("127.0.0.2")));
    EXPECT_TRUE(IpNetwork::Parse("fc00::/7")->Contains(Ip("fd00:ec2::254")));
    EXPECT_TRUE(IpNetwork::Parse("::ffff:0:0/96")->Contains(Ip("8.8.8.8")));
    EXPECT_TRUE(IpNetwork::Parse("0.0.0.0/0")->Contains(Ip("8.8.8.8")));
    EXPECT_FALSE(IpNetwork::Parse("0.0.0.0/0")->Contains(Ip("2001:4860::1")));
    for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "x/8", "::/129", "/8", "10/8"}) {
        EXPECT_FALSE(IpNetwork::Parse(bad)) << bad;
    }
}

// ---- IsPublicAddress ----------------------------------------------------------------------------

TEST(IsPublicAddress, RefusesEveryNonPublicIpv4Range) {
    for (const char* address :
         {"0.0.0.0",         "0.255.255.255",   "10.0.0.1",        "10.255.255.255",  "100.64.0.1",
          "100.127.255.255", "127.0.0.1",       "127.255.255.254", "169.254.0.1",     "169.254.169.254",
          "172.16.0.1",      "172.31.255.255",  "192.0.0.8",       "192.0.2.1",       "192.168.0.1",
          "192.168.255.255", "198.18.0.1",      "198.19.255.255",  "198.51.100.7",    "203.0.113.9",
          "224.0.0.1",       "239.255.255.250", "240.0.0.1",       "255.255.255.254", "255.255.255.255"}) {
        EXPECT_FALSE(IsPublic(address)) << address;
    }
}

TEST(IsPublicAddress, AcceptsPublicIpv4IncludingRangeNeighbours) {
    for (const char* address :
         {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
          "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.255",
          "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255"}) {
        EXPECT_TRUE(IsPublic(address)) << address;
    }
}

TEST(IsPublicAddress, RefusesNonPublicIpv6) {
    for (const char* address : {"::", "::1", "fc00::1", "fd00::1", "fd00:ec2::254", "fe80::1", "febf::1", "ff02::1",
                                "ff0e::1", "2001:db8::1", "2001:db8:ffff::1", "100::1", "100::ffff:ffff:ffff:ffff",
                                "::127.0.0.1", "::8.8.8.8", "::ffff:0:8.8.8.8", "2001::1", "3fff::1", "4000::1"}) {
        EXPECT_FALSE(IsPublic(address)) << address;
    }
}

TEST(IsPublicAddress, ClassifiesTheIpv4EmbeddedInMappedNat64And6to4) {
    EXPECT_FALSE(IsPublic("::ffff:127.0.0.1"));
    EXPECT_FALSE(IsPublic("::ffff:169.254.169.254"));
    EXPECT_FALSE(IsPublic("::ffff:a9fe:a9fe"));
    EXPECT_TRUE(IsPublic("::ffff:8.8.8.8"));
    EXPECT_FALSE(IsPublic("64:ff9b::127.0.0.1"));
    EXPECT_FALSE(IsPublic("64:ff9b::a00:1"));
    EXPECT_FALSE(IsPublic("64:ff9b::a9fe:a9fe"));
    EXPECT_TRUE(IsPublic("64:ff9b::808:808"));
    EXPECT_FALSE(IsPublic("2002:7f00:1::1"));
    EXPECT_FALSE(IsPublic("2002:a9fe:a9fe::"));
    EXPECT_FALSE(IsPublic("2002:c0a8:101::1"));
    EXPECT_TRUE(IsPublic("2002:808:808::1"));
}

TEST(IsPublicAddress, AcceptsGlobalUnicastIpv6) {
    EXPECT_TRUE(IsPublic("2606:4700:4700::1111"));
    EXPECT_TRUE(IsPublic("2001:4860:4860::8888"));
    EXPECT_TRUE(IsPublic("2a00:1450:4001::200e"));
}

// ---- EgressPolicy -------------------------------------------------------------------------------

TEST(EgressPolicy, ParsesTheSettingAndAllowsOnlyListedInternalNetworks) {
    EXPECT_FALSE(EgressPolicy::FromSetting("").HasAllowedNetworks());
    EXPECT_FALSE(EgressPolicy::FromSetting(" , ").HasAllowedNetworks());
    const auto policy = EgressPolicy::FromSetting(" 10.0.0.0/8 , fd00::/8,127.0.0.1");
    EXPECT_EQ(policy.allowed_networks().size(), 3U);
    EXPECT_TRUE(policy.Allows(Ip("8.8.8.8")));
    EXPECT_FALSE(policy.AllowsPlainHttp(Ip("8.8.8.8")));
    EXPECT_TRUE(policy.Allows(Ip("10.1.2.3")));
    EXPECT_TRUE(policy.AllowsPlainHttp(Ip("10.1.2.3")));
    EXPECT_TRUE(policy.Allows(Ip("fd00::5")));
    EXPECT_TRUE(policy.Allows(Ip("127.0.0.1")));
    EXPECT_FALSE(policy.Allows(Ip("127.0.0.2")));
    EXPECT_FALSE(policy.Allows(Ip("192.168.1.1")));
    EXPECT_FALSE(policy.Allows(Ip("fe80::1")));

    const EgressPolicy nothing;
    EXPECT_FALSE(nothing.Allows(Ip("127.0.0.1")));
    EXPECT_TRUE(nothing.Allows(Ip("1.1.1.1")));
}

TEST(EgressPolicy, NamesTheBadEntry) {
    for (const char* bad : {"10.0.0.0/8,bogus", "10.0.0.0/33", "localhost", "10.0.0.0/8;192.168.0.0/16"}) {
        try {
            (void)EgressPolicy::FromSetting(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const std::invalid_argument& e) {
            const std::string text = bad;
            const std::string entry = text.starts_with("10.0.0.0/8,") ? "bogus" : text;
            EXPECT_NE(std::string(e.what()).find(entry), std::string::npos) << e.what();
        }
    }
}

// ---- URL checks ---------------------------------------------------------------------------------

void ExpectRefused(const std::function<void()>& call, EgressErrorKind kind, const std::string& what) {
    try {
        call();
        ADD_FAILURE() << what << ": not refused";
    } catch (const EgressError& e) {
        EXPECT_EQ(EgressError::KindName(e.kind()), std::string(EgressError::KindName(kind)))
            << what << ": " << e.what();
    }
}

TEST(EgressCheckUrl, RefusesEverySsrfFormWithoutAllowedNetworks) {
    const OutboundClient client{EgressPolicy{}};
    for (const char* url : {"http://2130706433/",
                            "http://0177.0.0.1/",
                            "http://0x7f.0.0.1/",
                            "http://0x7f.1/",
                            "http://127.1/",
                            "http://[::ffff:127.0.0.1]/",
                            "http://[::1]/",
                            "https://127.0.0.1/",
                            "https://2130706433:8443/x",
                            "https://169.254.169.254/latest/meta-data/",
                            "https://[::ffff:a9fe:a9fe]/",
                            "https://[64:ff9b::a9fe:a9fe]/",
                            "https://[fd00:ec2::254]/",
                            "https://[2002:a9fe:a9fe::1]/",
                            "https://[::127.0.0.1]/",
                            "https://0/",
                            "https://0.0.0.0/",
                            "https://10.0.0.1/",
                            "https://100.64.0.1/",
                            "https://172.16.0.1/",
                            "https://192.168.1.1/",
                            "https://[fe80::1]/",
                            "https://[fc00::1]/",
                            "https://224.0.0.1/",
                            "https://localhost/",
                            "https://LOCALHOST/",
                            "https://localhost:9/"}) {
        ExpectRefused([&] { client.CheckUrl(url, Trust::kOperator); }, EgressErrorKind::kBlockedAddress, url);
    }
}

TEST(EgressCheckUrl, RefusesPlainHttpToHostsOutsideTheAllowedNetworks) {
    const OutboundClient client{EgressPolicy{}};
    // No DNS is needed to refuse these, so the result does not depend on the network.
    ExpectRefused([&] { client.CheckUrl("http://example.com/", Trust::kOperator); }, EgressErrorKind::kSchemeNotAllowed,
                  "example.com");
    ExpectRefused([&] { client.CheckUrl("http://localhost/", Trust::kOperator); }, EgressErrorKind::kSchemeNotAllowed,
                  "localhost");
    ExpectRefused([&] { client.CheckUrl("http://8.8.8.8/", Trust::kOperator); }, EgressErrorKind::kSchemeNotAllowed,
                  "8.8.8.8");

    const OutboundClient allowing{EgressPolicy::FromSetting("10.0.0.0/8")};
    ExpectRefused([&] { allowing.CheckUrl("http://8.8.8.8/", Trust::kOperator); }, EgressErrorKind::kSchemeNotAllowed,
                  "public http");
    ExpectRefused([&] { allowing.CheckUrl("http://localhost/", Trust::kOperator); }, EgressErrorKind::kBlockedAddress,
                  "localhost");
    EXPECT_NO_THROW(allowing.CheckUrl("http://10.9.8.7:8080/hook", Trust::kOperator));
    EXPECT_NO_THROW(allowing.CheckUrl("https://8.8.8.8/", Trust::kOperator));
}

// Item 15 of issue 12: the operator's internal networks are for the operator's destinations only.
TEST(EgressCheckUrl, TenantDestinationsAreJudgedByTheTenantSettingNotTheOperatorOne) {
    const OutboundClient client{EgressPolicy::FromSetting("127.0.0.0/8")};
    EXPECT_NO_THROW(client.CheckUrl("http://127.0.0.1:8080/hook", Trust::kOperator));
    ExpectRefused([&] { client.CheckUrl("http://127.0.0.1:8080/hook", Trust::kTenant); },
                  EgressErrorKind::kBlockedAddress, "tenant loopback");
    ExpectRefused([&] { client.CheckUrl("https://127.0.0.1/", Trust::kTenant); }, EgressErrorKind::kBlockedAddress,
                  "tenant loopback over https");
    EXPECT_NO_THROW(client.CheckUrl("https://8.8.8.8/", Trust::kTenant));

    const OutboundClient both{EgressPolicy::FromSetting("10.0.0.0/8"),
                              EgressPolicy::FromSetting("127.0.0.0/8", "KILN_TENANT_EGRESS_ALLOWED_NETWORKS")};
    EXPECT_NO_THROW(both.CheckUrl("http://127.0.0.1:8080/hook", Trust::kTenant));
    ExpectRefused([&] { both.CheckUrl("http://10.1.2.3/hook", Trust::kTenant); }, EgressErrorKind::kBlockedAddress,
                  "operator network for a tenant");
    try {
        both.CheckUrl("http://10.1.2.3/hook", Trust::kTenant);
    } catch (const EgressError& e) {
        EXPECT_NE(std::string(e.what()).find("KILN_TENANT_EGRESS_ALLOWED_NETWORKS"), std::string::npos) << e.what();
    }
}

TEST(EgressCheckUrl, RefusesOtherSchemesCredentialsAndMalformedUrls) {
    const OutboundClient client{EgressPolicy::FromSetting("127.0.0.0/8")};
    for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1:70/", "dict://127.0.0.1/",
                            "ldap://127.0.0.1/"}) {
        ExpectRefused([&] { client.CheckUrl(url, Trust::kOperator); }, EgressErrorKind::kSchemeNotAllowed, url);
    }
    for (const char* url : {"https://user:secret@8.8.8.8/", "https://user@8.8.8.8/", "http://:pw@127.0.0.1/",
                            "not a url", "", "https://", "//8.8.8.8/", "https://[fe80::1%25eth0]/"}) {
        ExpectRefused([&] { client.CheckUrl(url, Trust::kOperator); }, EgressErrorKind::kInvalidUrl, url);
    }
    EXPECT_NO_THROW(client.CheckUrl("http://127.0.0.1:8080/path?q=1", Trust::kOperator));
    EXPECT_NO_THROW(client.CheckUrl("https://localhost/", Trust::kOperator));
}

TEST(EgressCheckUrl, PercentEncodedHostsCannotSlipThrough) {
    const OutboundClient client{EgressPolicy{}};
    for (const char* url : {"https://127.0.0.%31/", "https://%6c%6f%63%61%6c%68%6f%73%74/"}) {
        EXPECT_THROW(client.CheckUrl(url, Trust::kOperator), EgressError) << url;
    }
}

TEST(EgressError, HasStableKindNames) {
    EXPECT_STREQ(EgressError::KindName(EgressErrorKind::kBlockedAddress), "blocked_address");
    EXPECT_STREQ(EgressError::KindName(EgressErrorKind::kTimeout), "timeout");
    EXPECT_STREQ(EgressError::KindName(EgressErrorKind::kTooManyRedirects), "too_many_redirects");
    EXPECT_TRUE(EgressError::IsRetryable(EgressErrorKind::kTimeout));
    EXPECT_FALSE(EgressError::IsRetryable(EgressErrorKind::kBlockedAddress));
}

// ---- Transfers against a local server -----------------------------------------------------------

/// A blocking HTTP/1.1 server on 127.0.0.1:<free port>, one request per connection, answering
/// canned responses by path. Counts accepted connections so tests can prove nothing connected.
class TestServer final {
  public:
    TestServer() {
        listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener_, 64) != 0) {
            throw std::runtime_error("test server cannot listen");
        }
        socklen_t length = sizeof address;
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { AcceptLoop(); });
    }

    ~TestServer() {
        stop_ = true;
        thread_.join();
        for (auto& worker : workers_) worker.join();
        close(listener_);
    }

    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    int port() const { return port_; }
    int accepts() const { return accepts_; }
    std::string Url(const std::string& host, const std::string& path) const {
        return "http://" + host + ":" + std::to_string(port_) + path;
    }
    std::string Url(const std::string& path) const { return Url("127.0.0.1", path); }

  private:
    void AcceptLoop() {
        while (!stop_) {
            pollfd ready{listener_, POLLIN, 0};
            if (poll(&ready, 1, 50) <= 0) continue;
            const int connection = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (connection < 0) continue;
            ++accepts_;
            workers_.emplace_back([this, connection] {
                Serve(connection);
                close(connection);
            });
        }
    }

    // Waits in short polls so that the destructor never waits on an idle keep-alive connection.
    std::string ReadRequest(int connection) const {
        std::string request;
        std::array<char, 4096> buffer{};
        size_t body_needed = std::string::npos;
        while (body_needed == std::string::npos || request.size() < body_needed) {
            pollfd readable{connection, POLLIN, 0};
            if (stop_) break;
            if (poll(&readable, 1, 50) == 0) continue;
            const ssize_t n = recv(connection, buffer.data(), buffer.size(), 0);
            if (n <= 0) break;
            request.append(buffer.data(), static_cast<size_t>(n));
            const auto end_of_headers = request.find("\r\n\r\n");
            if (body_needed == std::string::npos && end_of_headers != std::string::npos) {
                size_t length = 0;
                std::string lower = request.substr(0, end_of_headers);
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
                    length = std::stoul(lower.substr(at + 17));
                }
                body_needed = end_of_headers + 4 + length;
            }
        }
        return request;
    }

    static void Send(int connection, const std::string& data) {
        size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = send(connection, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;
            sent += static_cast<size_t>(n);
        }
    }

    static std::string Response(const std::string& status, const std::string& body, const std::string& extra = "") {
        return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\nConnection: close\r\nX-Test: yes\r\n" + extra + "\r\n" + body;
    }

    void Serve(int connection) {
        std::string request = ReadRequest(connection);
        // Keep-alive only here, so that connection reuse is visible in accepts().
        while (request.starts_with("GET /keepalive ")) {
            Send(connection, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nkept");
            request = ReadRequest(connection);
        }
        if (request.empty()) return;
        const auto path_start = request.find(' ') + 1;
        const std::string path = request.substr(path_start, request.find(' ', path_start) - path_start);
        const std::string port = std::to_string(port_);
        if (path == "/ok") {
            Send(connection, Response("200 OK", "hello", "Content-Type: text/plain\r\n"));
        } else if (path == "/echo") {
            Send(connection, Response("200 OK", request));
        } else if (path == "/redirect") {
            Send(connection, Response("302 Found", "", "Location: /ok\r\n"));
        } else if (path == "/see-other") {
            Send(connection, Response("303 See Other", "", "Location: /echo\r\n"));
        } else if (path == "/loop") {
            Send(connection, Response("302 Found", "", "Location: /loop\r\n"));
        } else if (path == "/to-localhost-echo") {
            Send(connection,
                 Response("307 Temporary Redirect", "", "Location: http://localhost:" + port + "/echo\r\n"));
        } else if (path == "/to-private") {
            Send(connection, Response("302 Found", "", "Location: http://10.0.0.1/ok\r\n"));
        } else if (path == "/to-ipv6-loopback") {
            Send(connection, Response("302 Found", "", "Location: http://[::1]:" + port + "/ok\r\n"));
        } else if (path == "/to-metadata") {
            Send(connection, Response("301 Moved Permanently", "", "Location: http://169.254.169.254/latest\r\n"));
        } else if (path == "/huge") {
            Send(connection, Response("200 OK", std::string(size_t{3} << 20, 'x')));
        } else if (path == "/slow") {
            for (int i = 0; i < 60 && !stop_; ++i) std::this_thread::sleep_for(50ms);
            Send(connection, Response("200 OK", "late"));
        } else {
            Send(connection, Response("404 Not Found", "no such path"));
        }
    }

    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepts_{0};
    std::thread thread_;
    std::vector<std::thread> workers_;  // only the accept thread adds; joined after it stops
};

class EgressSend : public ::testing::Test {
  protected:
    TestServer server_;
    OutboundClient client_{EgressPolicy::FromSetting("127.0.0.0/8")};

    OutboundResponse Get(const std::string& path, bool follow = false) {
        OutboundRequest request;
        request.url = server_.Url(path);
        request.follow_redirects = follow;
        return client_.Send(request, Trust::kOperator);
    }
};

TEST_F(EgressSend, ReturnsStatusHeadersBodyAndTheConnectedAddress) {
    const auto response = Get("/ok");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "hello");
    EXPECT_FALSE(response.truncated);
    EXPECT_EQ(response.Header("x-TEST"), "yes");
    EXPECT_EQ(response.Header("Content-Type"), "text/plain");
    EXPECT_FALSE(response.Header("X-Missing"));
    EXPECT_EQ(response.remote_address, "127.0.0.1");
    EXPECT_GT(response.latency.count(), 0);
}

TEST_F(EgressSend, SendsMethodHeadersBodyAndTheKilnUserAgent) {
    OutboundRequest request;
    request.method = "PUT";
    request.url = server_.Url("/echo");
    request.headers = {{"X-Custom", "abc"}, {"Content-Type", "application/json"}};
    request.body = R"({"a":1})";
    const auto echoed = client_.Send(request, Trust::kOperator).body;
    EXPECT_TRUE(echoed.starts_with("PUT /echo HTTP/1.1\r\n")) << echoed;
    EXPECT_NE(echoed.find("\r\nX-Custom: abc\r\n"), std::string::npos) << echoed;
    EXPECT_NE(echoed.find("\r\nUser-Agent: Kiln/" KILN_VERSION "\r\n"), std::string::npos) << echoed;
    EXPECT_NE(echoed.find("\r\nContent-Length: 7\r\n"), std::string::npos) << echoed;
    EXPECT_TRUE(echoed.ends_with("\r\n\r\n{\"a\":1}")) << echoed;

    request.method = "GET";
    request.body.clear();
    request.headers = {{"user-agent", "Custom/1"}};
    const auto plain = client_.Send(request, Trust::kOperator).body;
    EXPECT_TRUE(plain.starts_with("GET /echo HTTP/1.1\r\n")) << plain;
    EXPECT_NE(plain.find("user-agent: Custom/1"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("Kiln/"), std::string::npos) << plain;
}

TEST_F(EgressSend, RefusesMethodsAndHeadersThatWouldInjectLines) {
    OutboundRequest request;
    request.url = server_.Url("/ok");
    request.method = "GET /evil HTTP/1.1\r\nX:";
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kOther, "method");
    request.method = "GET";
    request.headers = {{"X-Ok", "a\r\nX-Injected: 1"}};
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kOther, "header value");
    request.headers = {{"X Bad", "a"}};
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kOther, "header name");
    EXPECT_EQ(server_.accepts(), 0);
}

TEST_F(EgressSend, DoesNotFollowRedirectsUnlessAsked) {
    const auto response = Get("/redirect");
    EXPECT_EQ(response.status, 302);
    EXPECT_EQ(response.Header("Location"), "/ok");

    const auto followed = Get("/redirect", true);
    EXPECT_EQ(followed.status, 200);
    EXPECT_EQ(followed.body, "hello");
}

TEST_F(EgressSend, SeeOtherContinuesAsAGetWithoutTheBody) {
    OutboundRequest request;
    request.method = "POST";
    request.url = server_.Url("/see-other");
    request.body = "payload";
    request.follow_redirects = true;
    const auto echoed = client_.Send(request, Trust::kOperator).body;
    EXPECT_TRUE(echoed.starts_with("GET /echo HTTP/1.1\r\n")) << echoed;
    EXPECT_EQ(echoed.find("payload"), std::string::npos) << echoed;
}

TEST_F(EgressSend, ARedirectToAnotherOriginLosesTheCredentialsButKeepsMethodAndBody) {
    OutboundRequest request;
    request.method = "POST";
    request.url = server_.Url("/to-localhost-echo");
    request.headers = {{"Authorization", "Bearer secret-token"}, {"X-Other", "kept"}};
    request.body = "payload";
    request.follow_redirects = true;
    const auto echoed = client_.Send(request, Trust::kOperator).body;
    EXPECT_TRUE(echoed.starts_with("POST /echo HTTP/1.1\r\n")) << echoed;
    EXPECT_NE(echoed.find("\r\nHost: localhost:"), std::string::npos) << echoed;
    EXPECT_NE(echoed.find("X-Other: kept"), std::string::npos) << echoed;
    EXPECT_EQ(echoed.find("secret-token"), std::string::npos) << echoed;
    EXPECT_TRUE(echoed.ends_with("payload")) << echoed;
}

TEST_F(EgressSend, ChecksEveryRedirectHopThroughTheGuard) {
    for (const char* path : {"/to-private", "/to-ipv6-loopback", "/to-metadata"}) {
        ExpectRefused([&] { (void)Get(path, true); }, EgressErrorKind::kBlockedAddress, path);
    }
    EXPECT_EQ(server_.accepts(), 3);  // the first hops only
}

TEST_F(EgressSend, StopsAfterMaxRedirects) {
    OutboundRequest request;
    request.url = server_.Url("/loop");
    request.follow_redirects = true;
    request.max_redirects = 3;
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kTooManyRedirects, "loop");
    EXPECT_EQ(server_.accepts(), 4);
}

TEST_F(EgressSend, TruncatesTheBodyAtTheCapInsteadOfFailing) {
    OutboundRequest request;
    request.url = server_.Url("/huge");
    request.max_response_bytes = 1000;
    const auto response = client_.Send(request, Trust::kOperator);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.truncated);
    EXPECT_EQ(response.body, std::string(1000, 'x'));
}

TEST_F(EgressSend, TimesOut) {
    OutboundRequest request;
    request.url = server_.Url("/slow");
    request.timeout = 300ms;
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kTimeout, "slow");
}

TEST_F(EgressSend, ReportsARefusedConnection) {
    const int probe = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
    close(probe);  // the port was free a moment ago and nobody listens on it now

    OutboundRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
    ExpectRefused([&] { client_.Send(request, Trust::kOperator); }, EgressErrorKind::kConnectFailed, "closed port");
}

TEST_F(EgressSend, ReusesConnections) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/keepalive").body, "kept");
    EXPECT_EQ(server_.accepts(), 1);
}

TEST_F(EgressSend, PinsANameToItsCheckedAddress) {
    OutboundRequest request;
    request.url = server_.Url("localhost", "/ok");
    const auto response = client_.Send(request, Trust::kOperator);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.remote_address, "127.0.0.1");
}

TEST_F(EgressSend, WithoutAllowedNetworksTheLoopbackServerIsNeverContacted) {
    const OutboundClient strict{EgressPolicy{}};
    for (const std::string& url : {server_.Url("/ok"), server_.Url("localhost", "/ok"),
                                   "https://127.0.0.1:" + std::to_string(server_.port()) + "/ok",
                                   "https://localhost:" + std::to_string(server_.port()) + "/ok",
                                   server_.Url("2130706433", "/ok"), server_.Url("0x7f.1", "/ok")}) {
        OutboundRequest request;
        request.url = url;
        try {
            (void)strict.Send(request, Trust::kOperator);
            ADD_FAILURE() << url << " was sent";
        } catch (const EgressError& e) {
            EXPECT_TRUE(e.kind() == EgressErrorKind::kBlockedAddress || e.kind() == EgressErrorKind::kSchemeNotAllowed)
                << url << ": " << e.what();
        }
    }
    EXPECT_EQ(server_.accepts(), 0);
}

TEST_F(EgressSend, IsSafeToCallFromManyThreads) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                if (Get(i % 2 == 0 ? "/ok" : "/redirect", true).body == "hello") ++ok;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok, 30);
}

}  // namespace
}  // namespace kiln::egress
