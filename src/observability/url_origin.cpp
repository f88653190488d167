#include "observability/url_origin.hpp"

#include <algorithm>
#include <cctype>

#include "core/strings.hpp"

namespace kiln::observability {

std::string UrlOrigin::ToString() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    std::string out = scheme + "://" + (ipv6 ? "[" + host + "]" : host);
    if (port) out += ":" + std::to_string(*port);
    return out;
}

std::optional<UrlOrigin> OriginOf(std::string_view url) {
    const size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
    UrlOrigin origin;
    origin.scheme = strings::ToLower(url.substr(0, scheme_end));
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string_view host = authority;
    std::string_view port;
    if (authority.starts_with('[')) {
        const size_t close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        if (authority.size() > close + 1 && authority[close + 1] == ':') port = authority.substr(close + 2);
    } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) return std::nullopt;
    origin.host = std::string(host);
    if (!port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
        origin.port = std::stoll(std::string(port));
    return origin;
}

}  // namespace kiln::observability
