#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::integrations::signatures {

/// What SigV4 signs of an outbound request.
struct SigV4Request {
    std::string method;
    std::string path;   // already-encoded absolute path, as sent on the wire ("" means "/")
    std::string query;  // raw query string without '?', may be empty
    std::vector<std::pair<std::string, std::string>> headers;  // headers to sign; must include host
    std::string body;
};

struct SigV4Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  // optional: set for temporary (STS) credentials
};

/// Result of signing. The caller sends `X-Amz-Date: amz_date`, `Authorization: authorization` and, with a session
/// token, `X-Amz-Security-Token`. The intermediate strings are kept for debugging a SignatureDoesNotMatch.
struct SigV4Signature {
    std::string amz_date;
    std::string authorization;
    std::string canonical_request;
    std::string string_to_sign;
    std::string signed_headers;
    std::string payload_hash;
};

/// AWS Signature Version 4 (AWS4-HMAC-SHA256), header form. Adds `x-amz-date` (and `x-amz-security-token` when the
/// credentials have a session token) to the signed headers itself; throws std::invalid_argument when the request
/// already carries one of those, lacks `host`, or has a malformed percent escape in its query.
SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials, std::string_view region,
                      std::string_view service, std::chrono::system_clock::time_point now);

/// RFC 3986 encoding as SigV4 defines it: unreserved characters kept, everything else `%XX` uppercase; `/` kept
/// only with keep_slash.

}  // namespace kiln::integrations::signatures
