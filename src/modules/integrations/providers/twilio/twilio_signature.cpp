#include "modules/integrations/providers/twilio/twilio_signature.hpp"

#include <algorithm>
#include <cctype>

#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr size_t kHmacSha1Bytes = 20;

/// Where the port sits in a URL's authority, to add or remove it without a full URL parser.
struct AuthorityParts {
    size_t host_end = 0;            // index just past the host (where ":port" starts, if any)
    size_t authority_end = 0;       // index of the first '/', '?' or '#' after the authority, or the URL size
    std::string_view port;          // without ':'; empty when absent
    std::string_view default_port;  // "443"/"80" for https/http, empty for other schemes
};

bool SplitAuthority(std::string_view url, AuthorityParts& parts) {
    const size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return false;
    const std::string scheme = strings::ToLower(url.substr(0, scheme_end));
    if (scheme == "https") parts.default_port = "443";
    if (scheme == "http") parts.default_port = "80";
    const size_t authority_begin = scheme_end + 3;
    parts.authority_end = std::min(url.find_first_of("/?#", authority_begin), url.size());
    const std::string_view authority = url.substr(authority_begin, parts.authority_end - authority_begin);
    // The port follows the last ':' after any userinfo ('@') and any IPv6 literal (']').
    const size_t host_begin = authority.rfind('@') == std::string_view::npos ? 0 : authority.rfind('@') + 1;
    const size_t colon = authority.rfind(':');
    const size_t bracket = authority.rfind(']');
    const bool has_port = colon != std::string_view::npos && colon >= host_begin &&
                          (bracket == std::string_view::npos || colon > bracket);
    parts.host_end = authority_begin + (has_port ? colon : authority.size());
    if (has_port) parts.port = authority.substr(colon + 1);
    return true;
}

/// The URL as given plus, for a default port, its other spelling (with or without it). Other ports are never
/// dropped: a different port is a different endpoint.
std::vector<std::string> UrlVariants(std::string_view url) {
    std::vector<std::string> variants{std::string(url)};
    AuthorityParts parts;
    if (!SplitAuthority(url, parts) || parts.default_port.empty()) return variants;
    const std::string before(url.substr(0, parts.host_end));
    const std::string after(url.substr(parts.authority_end));
    if (parts.port.empty())
        variants.push_back(before + ":" + std::string(parts.default_port) + after);
    else if (parts.port == parts.default_port)
        variants.push_back(before + after);
    return variants;
}

/// name1 + value1 + name2 + value2 … in Twilio's order (sorted by name, then value); appended to the URL.
std::string ParamsSuffix(const std::vector<std::pair<std::string, std::string>>& params) {
    std::vector<std::pair<std::string, std::string>> sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string suffix;
    for (const auto& [name, value] : sorted) suffix += name + value;
    return suffix;
}

}  // namespace

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& post_params) {
    return crypto::Base64Encode(crypto::HmacSha1(auth_token, std::string(url) + ParamsSuffix(post_params)));
}

VerifyResult VerifyTwilioSignature(std::string_view header, std::string_view url,
                                   const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& tokens) {
    if (header.empty()) return VerifyResult::kMissing;
    // Decoded first, so a header that is not the base64 of a digest is reported as malformed, not as a mismatch.
    std::string received;
    if (!crypto::Base64Decode(header, received) || received.size() != kHmacSha1Bytes) return VerifyResult::kMalformed;
    const std::string suffix = ParamsSuffix(params);
    bool matched = false;
    for (const std::string& candidate_url : UrlVariants(url)) {
        for (const std::string& token : tokens)
            matched = crypto::ConstantTimeEquals(crypto::HmacSha1(token, candidate_url + suffix), received) || matched;
    }
    return matched ? VerifyResult::kValid : VerifyResult::kMismatch;
}

}  // namespace kiln::integrations::signatures
