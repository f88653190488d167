// The egress guard's parsing: IP literals in every form a URL host can take (including the legacy IPv4 forms
// that resolvers accept: 0x7f.1, 2130706433, 017700000001), CIDR settings, and URLs split by libcurl as the
// outbound client splits them. Parsing is total (no crash), printing round-trips, and no internal address is
// classified as public.

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "egress/egress_policy.hpp"
#include "egress/ip_address.hpp"

namespace {

using kiln::egress::IpAddress;
using kiln::egress::IpNetwork;

void CheckAddress(const IpAddress& address) {
    const auto again = IpAddress::Parse(address.ToString());
    if (!again || !(*again == address)) __builtin_trap();
    static const IpNetwork loopback = *IpNetwork::Parse("127.0.0.0/8");
    static const IpNetwork mapped_loopback = *IpNetwork::Parse("::ffff:127.0.0.0/104");
    if ((loopback.Contains(address) || mapped_loopback.Contains(address)) && kiln::egress::IsPublicAddress(address))
        __builtin_trap();
}

void CheckHostOfUrl(const std::string& text) {
    const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), curl_url_cleanup);
    if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return;
    char* host = nullptr;
    if (curl_url_get(url.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) return;
    std::string_view name(host);
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    if (const auto address = IpAddress::Parse(name)) CheckAddress(*address);
    if (const auto address = IpAddress::ParseLegacyIPv4(name)) CheckAddress(*address);
    curl_free(host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (const auto address = IpAddress::Parse(text)) CheckAddress(*address);
    if (const auto address = IpAddress::ParseLegacyIPv4(text)) CheckAddress(*address);
    if (const auto network = IpNetwork::Parse(text)) {
        const auto again = IpNetwork::Parse(network->ToString());
        if (!again || again->ToString() != network->ToString()) __builtin_trap();
    }
    try {
        (void)kiln::egress::EgressPolicy::FromSetting(text);
    } catch (const std::invalid_argument&) {
        // a bad KILN_EGRESS_ALLOWED_NETWORKS stops the start with this message
    }
    if (text.find('\0') == std::string::npos) CheckHostOfUrl(text);
    return 0;
}
