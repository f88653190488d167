#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::observability {

/// The part of an outbound URL a span may record: scheme, host and port. Paths and queries are
/// never recorded, since webhook URLs often carry their secret there ("/hooks/T000/B000/XXXX"),
/// and neither is user info.
struct UrlOrigin {
    std::string scheme;  // lowercased
    std::string host;    // as written, brackets of an IPv6 literal removed
    std::optional<int64_t> port;

    /// "https://hooks.example.com:8443"; the port only when the URL gives one.
    std::string ToString() const;
};

/// Nullopt when `url` has no "scheme://host".
std::optional<UrlOrigin> OriginOf(std::string_view url);

}  // namespace kiln::observability
