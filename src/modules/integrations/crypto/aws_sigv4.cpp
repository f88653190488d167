#include "modules/integrations/crypto/aws_sigv4.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/form_encoding.hpp"
#include "core/strings.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kDateHeader = "x-amz-date";
constexpr std::string_view kTokenHeader = "x-amz-security-token";

/// "20150830T123600Z" and "20150830": the two renderings of the signing instant.
struct SigningTime {
    std::string amz_date;
    std::string date;
};

SigningTime FormatSigningTime(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    const auto day = floor<days>(now);
    const year_month_day ymd{day};
    const hh_mm_ss time{floor<seconds>(now - day)};
    SigningTime out;
    out.date = fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                           static_cast<unsigned>(ymd.day()));
    out.amz_date = fmt::format("{}T{:02}{:02}{:02}Z", out.date, time.hours().count(), time.minutes().count(),
                               time.seconds().count());
    return out;
}

/// Trims the value and collapses inner runs of spaces to one, as the canonical-headers rule requires.
std::string NormaliseHeaderValue(std::string_view value) {
    std::string out;
    bool pending_space = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

/// The query as AWS rebuilds it on its side: every name and value decoded, then re-encoded (RFC 3986), sorted.
/// Decoding first makes an already-encoded query (`a=b%20c`) and a raw one canonicalise the same, instead of
/// double-encoding '%'. '+' is taken literally (RFC 3986), so callers encode spaces as %20.
std::string CanonicalQuery(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        params.emplace_back(PercentEncode(PercentDecode(pair.substr(0, eq))), PercentEncode(PercentDecode(value)));
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out.append(name).append("=").append(value);
    }
    return out;
}

/// Lowercased name → normalised value, sorted by name (std::map). A repeated header becomes one comma-joined value,
/// as AWS does.
std::map<std::string, std::string> CanonicalHeaderMap(const SigV4Request& request, const SigningTime& time,
                                                      const SigV4Credentials& credentials) {
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) {
        std::string key = strings::ToLower(NormaliseHeaderValue(name));
        if (key == kDateHeader || key == kTokenHeader)
            throw std::invalid_argument("SignV4 sets " + key + " itself; do not pass it in the request headers");
        auto [it, inserted] = headers.try_emplace(std::move(key), NormaliseHeaderValue(value));
        if (!inserted) it->second += "," + NormaliseHeaderValue(value);
    }
    if (!headers.contains("host")) throw std::invalid_argument("SignV4 needs the host header among the signed headers");
    headers.emplace(kDateHeader, time.amz_date);
    if (!credentials.session_token.empty()) headers.emplace(kTokenHeader, credentials.session_token);
    return headers;
}

/// kSigning = HMAC chain over date, region, service, "aws4_request"; raw digests, never hex.
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
    const std::string k_date = crypto::HmacSha256("AWS4" + std::string(secret), date);
    const std::string k_region = crypto::HmacSha256(k_date, region);
    const std::string k_service = crypto::HmacSha256(k_region, service);
    return crypto::HmacSha256(k_service, "aws4_request");
}

}  // namespace

SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials, std::string_view region,
                      std::string_view service, std::chrono::system_clock::time_point now) {
    const SigningTime time = FormatSigningTime(now);
    SigV4Signature sig;
    sig.amz_date = time.amz_date;
    sig.payload_hash = crypto::Sha256Hex(request.body);

    std::string canonical_headers;
    for (const auto& [name, value] : CanonicalHeaderMap(request, time, credentials)) {
        canonical_headers.append(name).append(":").append(value).append("\n");
        if (!sig.signed_headers.empty()) sig.signed_headers.push_back(';');
        sig.signed_headers += name;
    }

    // Every service but S3 encodes the already-encoded path a second time; S3 signs it as sent.
    const std::string_view path = request.path.empty() ? std::string_view{"/"} : std::string_view{request.path};
    const std::string canonical_uri = service == "s3" ? std::string(path) : PercentEncode(path, true);

    sig.canonical_request = request.method + "\n" + canonical_uri + "\n" + CanonicalQuery(request.query) + "\n" +
                            canonical_headers + "\n" + sig.signed_headers + "\n" + sig.payload_hash;

    const std::string scope = fmt::format("{}/{}/{}/aws4_request", time.date, region, service);
    sig.string_to_sign =
        fmt::format("{}\n{}\n{}\n{}", kAlgorithm, time.amz_date, scope, crypto::Sha256Hex(sig.canonical_request));

    const std::string signature = crypto::HexEncode(
        crypto::HmacSha256(SigningKey(credentials.secret_access_key, time.date, region, service), sig.string_to_sign));
    sig.authorization = fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                                    credentials.access_key_id, scope, sig.signed_headers, signature);
    return sig;
}

}  // namespace kiln::integrations::signatures
