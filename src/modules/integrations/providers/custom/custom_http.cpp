#include "modules/integrations/providers/custom/custom_http.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::integrations {

namespace {

// What a workflow may keep of an answer: enough to read a status or an id, little enough to store per run.
constexpr size_t kMaxResultBody = 4096;
constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

bool IsAlphaNumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// RFC 3986 pchar without '%' (escapes are checked apart): unreserved, sub-delims, ':' and '@'.
bool IsPathChar(char c) {
    return IsAlphaNumeric(c) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

/// The escaped byte at `at` ('%' there), or -1 when the escape is truncated or not hex.
int EscapedByte(std::string_view text, size_t at) {
    if (at + 2 >= text.size()) return -1;
    const int high = HexValue(text[at + 1]);
    const int low = HexValue(text[at + 2]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/// A printable path the server cannot read as another one: no empty or dot segment (also as `..;x`, which some
/// servers strip to `..`), and no escape that decodes to a separator, a dot, a '%' (double decoding) or a byte
/// outside printable ASCII.
bool IsPlainPath(std::string_view path) {
    if (path.empty() || path.front() != '/' || path.find("//") != std::string_view::npos) return false;
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '/') continue;
        if (path[i] != '%') {
            if (!IsPathChar(path[i])) return false;
            continue;
        }
        const int byte = EscapedByte(path, i);
        if (byte <= 0x20 || byte >= 0x7f || byte == '.' || byte == '/' || byte == '\\' || byte == '%') return false;
        i += 2;
    }
    for (size_t start = 1; start <= path.size();) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string_view segment = path.substr(start, end - start);
        const std::string_view name = segment.substr(0, segment.find(';'));
        if (name == "." || name == "..") return false;
        start = end + 1;
    }
    return true;
}

/// The query after '?': pchars, '/', '?' and well-formed escapes (any byte: an escaped one cannot split the line).
bool IsPlainQuery(std::string_view query) {
    for (size_t i = 0; i < query.size(); ++i) {
        if (query[i] == '/' || query[i] == '?' || IsPathChar(query[i])) continue;
        if (query[i] != '%' || EscapedByte(query, i) < 0) return false;
        i += 2;
    }
    return true;
}

/// `/v1/orders` allows `/v1/orders` and `/v1/orders/42`, never `/v1/ordersX`.
bool IsUnder(std::string_view path, std::string_view prefix) {
    while (prefix.size() > 1 && prefix.back() == '/') prefix.remove_suffix(1);
    if (prefix.empty() || prefix.front() != '/') return false;
    if (prefix == "/") return true;
    if (path.substr(0, prefix.size()) != prefix) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool IsAllowed(std::string_view target, const std::vector<std::string>& allowed) {
    const size_t query = target.find('?');
    const std::string_view path = target.substr(0, query);
    if (!IsPlainPath(path)) return false;
    if (query != std::string_view::npos && !IsPlainQuery(target.substr(query + 1))) return false;
    return std::any_of(allowed.begin(), allowed.end(),
                       [path](const std::string& prefix) { return IsUnder(path, prefix); });
}

std::string UpperAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    return text;
}

bool IsHeaderName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return IsAlphaNumeric(c) || c == '-'; });
}

/// At most kMaxResultBody bytes (`cut`: the outbound client already stopped there), without a trailing incomplete
/// UTF-8 sequence, so that valid text stays valid: the result is stored as JSON.
std::string Truncated(std::string body, bool cut) {
    if (body.size() > kMaxResultBody) {
        body.resize(kMaxResultBody);
        cut = true;
    }
    if (!cut) return body;
    size_t lead = body.size();
    size_t continuation = 0;
    while (lead > 0 && continuation < 3 && (static_cast<unsigned char>(body[lead - 1]) & 0xC0U) == 0x80U) {
        --lead;
        ++continuation;
    }
    if (lead == 0) return body;
    const auto first = static_cast<unsigned char>(body[lead - 1]);
    size_t length = 1;
    if ((first & 0xE0U) == 0xC0U) length = 2;
    if ((first & 0xF0U) == 0xE0U) length = 3;
    if ((first & 0xF8U) == 0xF0U) length = 4;
    if (continuation + 1 < length) body.resize(lead - 1);
    return body;
}

}  // namespace

egress::OutboundRequest CustomHttp::NewRequest(const std::string& method, const std::string& path) const {
    const ProviderConfig& config = client_.config();
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(config.Required("base_url")) + path;
    request.max_response_bytes = kMaxResultBody;
    const std::string value = config.Get("auth_header_value");
    if (!value.empty()) {
        const std::string name = config.Get("auth_header_name", "Authorization");
        // Checked when saved too; a header line must never be split by a stored value.
        if (!IsHeaderName(name) || value.find_first_of("\r\n", 0) != std::string::npos ||
            value.find('\0') != std::string::npos)
            client_.Fail(ProviderError::Kind::kMisconfigured, "the credential header is not a valid header");
        request.headers.emplace_back(name, value);
    }
    return request;
}

HttpCallResult CustomHttp::Call(const HttpCall& call) {
    const std::string method = UpperAscii(call.method);
    if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end())
        client_.Fail(ProviderError::Kind::kRejected, "method is not allowed");
    if (!IsAllowed(call.path, client_.config().List("allowed_paths")))
        client_.Fail(ProviderError::Kind::kRejected, "path is not allowed");
    egress::OutboundRequest request = NewRequest(method, call.path);
    if (!call.body.is_null()) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = call.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    // Only a GET is known to be repeatable; the tenant's POST/PUT/PATCH/DELETE may not be idempotent.
    const egress::OutboundResponse response = client_.Send(std::move(request), method == "GET");
    return {response.status, Truncated(response.body, response.truncated)};
}

void CustomHttp::TestConnection() {
    const std::vector<std::string> allowed = client_.config().List("allowed_paths");
    if (allowed.empty()) client_.Fail(ProviderError::Kind::kMisconfigured, "the integration has no allowed_paths");
    if (!IsAllowed(allowed.front(), allowed))
        client_.Fail(ProviderError::Kind::kMisconfigured, "the first allowed path is not a plain URL path");
    const egress::OutboundResponse response = client_.Send(NewRequest("GET", allowed.front()), true);
    // Any other answer, 404 included, shows the endpoint is there and took the credentials.
    if (response.status == 401 || response.status == 403)
        client_.Fail(ProviderError::Kind::kRejected,
                     "credentials refused (HTTP " + std::to_string(response.status) + ")");
    if (response.status >= 500) client_.FailWith(response, "");
}

}  // namespace kiln::integrations
