#include "fake_ses.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <map>
#include <regex>

namespace kiln::testing {

using namespace fakeutil;

namespace {

constexpr int64_t kClockSkewSeconds = 5 * 60;
constexpr size_t kMaxMessageBytes = size_t{40} * 1024 * 1024;
const char* const kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";

std::string CollapseSpaces(const std::string& value) {
    std::string out;
    bool in_space = false;
    for (const char c : Trim(value)) {
        if (c == ' ' || c == '\t') {
            if (!in_space) out += ' ';
            in_space = true;
        } else {
            out += c;
            in_space = false;
        }
    }
    return out;
}

std::string CanonicalUri(const std::string& path) {
    if (path.empty()) return "/";
    std::string out;
    const auto segments = Split(path, '/');
    for (size_t i = 0; i < segments.size(); ++i) {
        if (i > 0) out += '/';
        // Non-S3 services encode each segment twice: once for the wire, once more for the canonical form.
        const std::string raw = PercentDecode(segments[i], false).value_or(segments[i]);
        out += UriEncode(UriEncode(raw, false), false);
    }
    return out;
}

std::string CanonicalQuery(const std::string& query) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!query.empty()) {
        for (const auto& part : Split(query, '&')) {
            if (part.empty()) continue;
            const size_t eq = part.find('=');
            const std::string name = part.substr(0, eq);
            const std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
            pairs.emplace_back(UriEncode(PercentDecode(name, false).value_or(name), false),
                               UriEncode(PercentDecode(value, false).value_or(value), false));
        }
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [name, value] : pairs) {
        if (!out.empty()) out += '&';
        out += name + "=" + value;
    }
    return out;
}

std::optional<int64_t> ParseAmzDate(const std::string& text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    for (size_t i = 0; i < 15; ++i)
        if (i != 8 && !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::tm tm{};
    tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(text.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(text.substr(6, 2));
    tm.tm_hour = std::stoi(text.substr(9, 2));
    tm.tm_min = std::stoi(text.substr(11, 2));
    tm.tm_sec = std::stoi(text.substr(13, 2));
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60)
        return std::nullopt;
    return static_cast<int64_t>(::timegm(&tm));
}

std::string RequestId() {
    const std::string hex = RandomHex(32);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20, 12);
}

bool LooksLikeAddress(const nlohmann::json& value) {
    if (!value.is_string()) return false;
    const std::string text = value.get<std::string>();
    const size_t at = text.find('@');
    return at != std::string::npos && at > 0 && at + 1 < text.size() && text.find_first_of("\r\n") == std::string::npos;
}

struct MimeMessage {
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
    std::string body;
    std::optional<std::string> Header(const std::string& name) const {
        for (const auto& [key, value] : headers)
            if (key == name) return value;
        return std::nullopt;
    }
};

/// Splits a MIME message into its top-level headers (unfolded) and body; an error message when malformed.
std::optional<MimeMessage> ParseMime(const std::string& message, std::string& error) {
    size_t end = message.find("\r\n\r\n");
    size_t separator = 4;
    const size_t lf_end = message.find("\n\n");
    if (lf_end < end) {
        end = lf_end;
        separator = 2;
    }
    MimeMessage mime;
    const std::string head = message.substr(0, end);
    mime.body = end == std::string::npos ? "" : message.substr(end + separator);
    for (std::string line : Split(head, '\n')) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line[0] == ' ' || line[0] == '\t') {
            if (mime.headers.empty()) {
                error = "the message starts with a folded header line";
                return std::nullopt;
            }
            mime.headers.back().second += " " + Trim(line);
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0 || line.substr(0, colon).find(' ') != std::string::npos) {
            error = "Illegal header line: '" + line.substr(0, 80) + "'";
            return std::nullopt;
        }
        mime.headers.emplace_back(ToLower(line.substr(0, colon)), Trim(line.substr(colon + 1)));
    }
    return mime;
}

std::string BoundaryOf(const std::string& content_type) {
    static const std::regex pattern(R"re(boundary\s*=\s*(?:"([^"]*)"|([^;\s]+)))re", std::regex::icase);
    std::smatch match;
    if (!std::regex_search(content_type, match, pattern)) return "";
    return match[1].matched ? match[1].str() : match[2].str();
}

/// The first problem of a Raw message (decoded), or "" when SES would take it.
std::string CheckRawMessage(const std::string& message) {
    if (message.size() > kMaxMessageBytes) return "Message length is more than 40 MB";
    std::string error;
    const auto mime = ParseMime(message, error);
    if (!mime) return error;
    for (const char* required : {"From", "To", "Subject", "MIME-Version"})
        if (!mime->Header(ToLower(required))) return std::string("The raw message has no '") + required + ":' header";
    const std::string lower = ToLower(message);
    static const std::regex attachment(R"(content-disposition:\s*attachment)");
    const bool has_attachment = std::regex_search(lower, attachment);
    const std::string content_type = mime->Header("content-type").value_or("");
    const bool multipart = StartsWith(ToLower(content_type), "multipart/");
    if (has_attachment && !multipart)
        return "The raw message has an attachment but its top-level Content-Type is not multipart/* ('" + content_type +
               "')";
    if (multipart) {
        const std::string boundary = BoundaryOf(content_type);
        if (boundary.empty()) return "The multipart raw message has no boundary parameter in its Content-Type";
        if (mime->body.find("--" + boundary) == std::string::npos)
            return "The multipart raw message never uses its boundary '" + boundary + "'";
        if (mime->body.find("--" + boundary + "--") == std::string::npos)
            return "The multipart raw message has no closing boundary '--" + boundary + "--'";
    }
    return "";
}

/// The first problem of a SendEmail body, or "" when valid. Sets *raw to the decoded Raw message if any.
std::string CheckSendEmail(const nlohmann::json& body, std::optional<std::string>* raw) {
    if (!body.is_object()) return "The request body must be a JSON object";
    const auto member = [&](const nlohmann::json& object, const char* name) -> const nlohmann::json* {
        const auto found = object.find(name);
        return found == object.end() || found->is_null() ? nullptr : &*found;
    };
    const nlohmann::json* content = member(body, "Content");
    if (content == nullptr || !content->is_object()) return "Missing required parameter: Content";
    const nlohmann::json* simple = member(*content, "Simple");
    const nlohmann::json* raw_content = member(*content, "Raw");
    const nlohmann::json* templ = member(*content, "Template");
    const int kinds = (simple != nullptr) + (raw_content != nullptr) + (templ != nullptr);
    if (kinds != 1) return "Content must contain exactly one of Simple, Raw or Template";

    if (const auto* from = member(body, "FromEmailAddress")) {
        if (!LooksLikeAddress(*from)) return "Invalid FromEmailAddress: " + Dump(*from);
    } else if (raw_content == nullptr) {
        return "Missing required parameter: FromEmailAddress";
    }

    size_t recipients = 0;
    if (const auto* destination = member(body, "Destination")) {
        if (!destination->is_object()) return "Destination must be an object";
        for (const char* list : {"ToAddresses", "CcAddresses", "BccAddresses"}) {
            const auto* addresses = member(*destination, list);
            if (addresses == nullptr) continue;
            if (!addresses->is_array()) return std::string("Destination.") + list + " must be a list of strings";
            for (const auto& address : *addresses) {
                if (!LooksLikeAddress(address))
                    return std::string("Invalid email address in Destination.") + list + ": " + Dump(address);
                ++recipients;
            }
        }
    }
    if (recipients == 0 && raw_content == nullptr)
        return "Destination must contain at least one address in ToAddresses, CcAddresses or BccAddresses";
    if (recipients > 50) return "Recipient count exceeds 50.";
    if (const auto* reply_to = member(body, "ReplyToAddresses")) {
        if (!reply_to->is_array()) return "ReplyToAddresses must be a list of strings";
        for (const auto& address : *reply_to)
            if (!LooksLikeAddress(address)) return "Invalid email address in ReplyToAddresses: " + Dump(address);
    }
    if (const auto* tags = member(body, "EmailTags")) {
        static const std::regex tag(R"(^[A-Za-z0-9_-]{1,256}$)");
        if (!tags->is_array()) return "EmailTags must be a list";
        for (const auto& t : *tags) {
            if (!t.is_object() || !t.value("Name", nlohmann::json()).is_string() ||
                !t.value("Value", nlohmann::json()).is_string())
                return "Each EmailTag needs a Name and a Value";
            if (!std::regex_match(t["Name"].get<std::string>(), tag))
                return "Invalid tag name <" + t["Name"].get<std::string>() +
                       ">: only alphanumeric ASCII characters, '_', and '-' are allowed.";
            if (!std::regex_match(t["Value"].get<std::string>(), tag))
                return "Invalid tag value <" + t["Value"].get<std::string>() +
                       ">: only alphanumeric ASCII characters, '_', and '-' are allowed.";
        }
    }
    if (const auto* set = member(body, "ConfigurationSetName"); set != nullptr && !set->is_string())
        return "ConfigurationSetName must be a string";

    if (simple != nullptr) {
        if (!simple->is_object()) return "Content.Simple must be an object";
        const auto* subject = member(*simple, "Subject");
        if (subject == nullptr || !subject->is_object() || member(*subject, "Data") == nullptr ||
            !(*subject)["Data"].is_string())
            return "Missing required parameter: Content.Simple.Subject.Data";
        const auto* mail_body = member(*simple, "Body");
        if (mail_body == nullptr || !mail_body->is_object()) return "Missing required parameter: Content.Simple.Body";
        bool has_part = false;
        for (const char* part : {"Text", "Html"}) {
            const auto* p = member(*mail_body, part);
            if (p == nullptr) continue;
            if (!p->is_object() || member(*p, "Data") == nullptr || !(*p)["Data"].is_string())
                return std::string("Missing required parameter: Content.Simple.Body.") + part + ".Data";
            has_part = true;
        }
        if (!has_part) return "Content.Simple.Body must contain Text or Html";
        if (const auto* attachments = member(*simple, "Attachments")) {
            if (!attachments->is_array()) return "Content.Simple.Attachments must be a list";
            for (const auto& a : *attachments) {
                if (!a.is_object() || !a.value("FileName", nlohmann::json()).is_string() ||
                    a["FileName"].get<std::string>().empty())
                    return "Missing required parameter: Attachment.FileName";
                if (!a.value("RawContent", nlohmann::json()).is_string() ||
                    !Base64Decode(a["RawContent"].get<std::string>()))
                    return "Attachment.RawContent must be base64-encoded";
                if (a.contains("ContentDisposition") && a["ContentDisposition"] != "ATTACHMENT" &&
                    a["ContentDisposition"] != "INLINE")
                    return "Attachment.ContentDisposition must be ATTACHMENT or INLINE";
            }
        }
        if (const auto* headers = member(*simple, "Headers")) {
            if (!headers->is_array()) return "Content.Simple.Headers must be a list";
            for (const auto& h : *headers)
                if (!h.is_object() || !h.value("Name", nlohmann::json()).is_string() ||
                    !h.value("Value", nlohmann::json()).is_string())
                    return "Each header needs a Name and a Value";
        }
    } else if (raw_content != nullptr) {
        if (!raw_content->is_object() || member(*raw_content, "Data") == nullptr || !(*raw_content)["Data"].is_string())
            return "Missing required parameter: Content.Raw.Data";
        const auto decoded = Base64Decode((*raw_content)["Data"].get<std::string>());
        if (!decoded) return "Content.Raw.Data is not valid base64";
        if (decoded->empty()) return "Content.Raw.Data is empty";
        if (const std::string problem = CheckRawMessage(*decoded); !problem.empty()) return problem;
        *raw = *decoded;
    } else {
        if (!templ->is_object()) return "Content.Template must be an object";
        const int refs = (member(*templ, "TemplateName") != nullptr) + (member(*templ, "TemplateArn") != nullptr) +
                         (member(*templ, "TemplateContent") != nullptr);
        if (refs != 1)
            return "Content.Template must contain exactly one of TemplateName, TemplateArn or TemplateContent";
        if (const auto* data = member(*templ, "TemplateData")) {
            if (!data->is_string()) return "TemplateData must be a string holding a JSON object";
            const auto parsed = ParseJson(data->get<std::string>());
            if (!parsed || !parsed->is_object()) return "TemplateData is not a valid JSON object";
        }
    }
    return "";
}

}  // namespace

FakeSes::FakeSes(std::string access_key_id, std::string secret_access_key, std::string region)
    : access_key_id_(std::move(access_key_id)),
      secret_access_key_(std::move(secret_access_key)),
      region_(std::move(region)) {
    Start();
}

FakeSes::~FakeSes() {
    Stop();
}

std::string FakeSes::CanonicalRequest(const std::string& method, const std::string& target, const Headers& headers,
                                      const std::vector<std::string>& signed_headers, const std::string& body) {
    const auto [path, query] = SplitTarget(target);
    std::string canonical_headers;
    std::string signed_list;
    for (const auto& name : signed_headers) {
        const std::string lower = ToLower(name);
        std::string value;
        bool first = true;
        for (const auto& [key, v] : headers) {
            if (ToLower(key) != lower) continue;
            if (!first) value += ',';
            value += CollapseSpaces(v);
            first = false;
        }
        canonical_headers += lower + ":" + value + "\n";
        if (!signed_list.empty()) signed_list += ';';
        signed_list += lower;
    }
    return method + "\n" + CanonicalUri(path) + "\n" + CanonicalQuery(query) + "\n" + canonical_headers + "\n" +
           signed_list + "\n" + HexEncode(Sha256(body));
}

std::string FakeSes::StringToSign(const std::string& amz_date, const std::string& scope,
                                  const std::string& canonical_request) {
    return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + HexEncode(Sha256(canonical_request));
}

std::string FakeSes::SigningKey(const std::string& secret, const std::string& date, const std::string& region,
                                const std::string& service) {
    const std::string k_date = HmacSha256("AWS4" + secret, date);
    const std::string k_region = HmacSha256(k_date, region);
    const std::string k_service = HmacSha256(k_region, service);
    return HmacSha256(k_service, "aws4_request");
}

std::string FakeSes::Signature(const std::string& secret, const std::string& date, const std::string& region,
                               const std::string& service, const std::string& string_to_sign) {
    return HexEncode(HmacSha256(SigningKey(secret, date, region, service), string_to_sign));
}

std::string FakeSes::AuthorizationHeader(const std::string& access_key_id, const std::string& secret,
                                         const std::string& region, const std::string& service,
                                         const std::string& method, const std::string& target, const Headers& headers,
                                         const std::string& body) {
    std::vector<std::string> names;
    std::string amz_date;
    for (const auto& [name, value] : headers) {
        names.push_back(ToLower(name));
        if (ToLower(name) == "x-amz-date") amz_date = Trim(value);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    const std::string date = amz_date.substr(0, 8);
    const std::string scope = date + "/" + region + "/" + service + "/aws4_request";
    const std::string canonical = CanonicalRequest(method, target, headers, names, body);
    std::string signed_list;
    for (const auto& name : names) signed_list += (signed_list.empty() ? "" : ";") + name;
    return "AWS4-HMAC-SHA256 Credential=" + access_key_id + "/" + scope + ", SignedHeaders=" + signed_list +
           ", Signature=" + Signature(secret, date, region, service, StringToSign(amz_date, scope, canonical));
}

std::string FakeSes::AmzDate(int64_t unix_time) {
    const auto t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
    return buffer;
}

Reply FakeSes::AwsError(const ReceivedRequest& request, int status, const std::string& type,
                        const std::string& message) {
    Violation(request, "HTTP " + std::to_string(status) + " " + type + ": " + message);
    return JsonReply(status, {{"message", message}}, {{"x-amzn-ErrorType", type}, {"x-amzn-RequestId", RequestId()}});
}

std::optional<Reply> FakeSes::Authenticate(const ReceivedRequest& request) {
    const auto authorization = request.Header("Authorization");
    if (!authorization)
        return AwsError(request, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    const std::string value = Trim(*authorization);
    const std::string algorithm = "AWS4-HMAC-SHA256 ";
    if (!StartsWith(value, algorithm))
        return AwsError(request, 403, "IncompleteSignatureException",
                        "Authorization header must start with 'AWS4-HMAC-SHA256 ' (got '" + value.substr(0, 40) + "')");
    std::map<std::string, std::string> parts;
    for (const auto& part : Split(value.substr(algorithm.size()), ',')) {
        const std::string item = Trim(part);
        const size_t eq = item.find('=');
        if (eq == std::string::npos) continue;
        parts[item.substr(0, eq)] = item.substr(eq + 1);
    }
    for (const char* required : {"Credential", "SignedHeaders", "Signature"})
        if (!parts.count(required))
            return AwsError(
                request, 403, "IncompleteSignatureException",
                std::string("Authorization header requires '") + required + "' parameter. Authorization=" + value);
    const auto credential = Split(parts["Credential"], '/');
    if (credential.size() != 5)
        return AwsError(request, 403, "IncompleteSignatureException",
                        "Authorization header requires a Credential of the form AKID/date/region/service/aws4_request, "
                        "got '" +
                            parts["Credential"] + "'");
    if (credential[0] != access_key_id_)
        return AwsError(request, 403, "UnrecognizedClientException",
                        "The security token included in the request is invalid.");
    if (credential[2] != region_)
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        "Credential should be scoped to a valid region, not '" + credential[2] + "'. ");
    if (credential[3] != "ses")
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        "Credential should be scoped to correct service: 'ses'. ");
    if (credential[4] != "aws4_request")
        return AwsError(
            request, 403, "SignatureDoesNotMatch",
            "Credential should be scoped with a valid terminator: 'aws4_request', not '" + credential[4] + "'. ");

    const auto signed_headers = Split(parts["SignedHeaders"], ';');
    for (size_t i = 0; i < signed_headers.size(); ++i) {
        if (signed_headers[i].empty() || signed_headers[i] != ToLower(signed_headers[i]) ||
            (i > 0 && signed_headers[i - 1] >= signed_headers[i]))
            return AwsError(request, 403, "SignatureDoesNotMatch",
                            std::string(kSignatureMismatch) + " SignedHeaders must be lowercase, sorted and unique: '" +
                                parts["SignedHeaders"] + "'");
        if (!request.Header(signed_headers[i]))
            return AwsError(request, 403, "SignatureDoesNotMatch",
                            std::string(kSignatureMismatch) + " The signed header '" + signed_headers[i] +
                                "' is not in the request.");
    }
    if (std::find(signed_headers.begin(), signed_headers.end(), "host") == signed_headers.end())
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    if (std::find(signed_headers.begin(), signed_headers.end(), "x-amz-date") == signed_headers.end())
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");

    const std::string amz_date = Trim(request.Header("X-Amz-Date").value_or(""));
    const auto signed_at = ParseAmzDate(amz_date);
    if (!signed_at)
        return AwsError(request, 403, "IncompleteSignatureException",
                        "Date must be in ISO-8601 'basic format'. Got '" + amz_date +
                            "'. See http://en.wikipedia.org/wiki/ISO_8601");
    if (credential[1] != amz_date.substr(0, 8))
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                            credential[1] + "' != '" + amz_date.substr(0, 8) + "', from '" + amz_date + "'.");
    const int64_t now = UnixNow();
    if (*signed_at < now - kClockSkewSeconds)
        return AwsError(request, 403, "RequestExpired",
                        "Request has expired. Signature expired: " + amz_date + " is now earlier than " +
                            AmzDate(now - kClockSkewSeconds) + " (" + AmzDate(now) + " - 5 min.)");
    if (*signed_at > now + kClockSkewSeconds)
        return AwsError(request, 403, "RequestExpired",
                        "Signature not yet current: " + amz_date + " is still later than " +
                            AmzDate(now + kClockSkewSeconds) + " (" + AmzDate(now) + " + 5 min.)");

    const std::string scope = credential[1] + "/" + credential[2] + "/" + credential[3] + "/" + credential[4];
    const std::string canonical =
        CanonicalRequest(request.method, request.target, request.headers, signed_headers, request.body);
    const std::string to_sign = StringToSign(amz_date, scope, canonical);
    const std::string expected = Signature(secret_access_key_, credential[1], region_, "ses", to_sign);
    if (!ConstantTimeEquals(expected, parts["Signature"]))
        return AwsError(request, 403, "SignatureDoesNotMatch",
                        std::string(kSignatureMismatch) +
                            "\n\nThe Canonical String for this request should have been\n'" + canonical +
                            "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n");
    return std::nullopt;
}

Reply FakeSes::Handle(const ReceivedRequest& request) {
    if (auto rejected = Authenticate(request)) return *rejected;
    const auto [path, query] = SplitTarget(request.target);
    if (path == "/v2/email/account" && request.method == "GET") {
        // GetAccount: what a connectivity check calls. A GET carries no body.
        if (!request.body.empty())
            return AwsError(request, 400, "BadRequestException", "GetAccount takes no request body");
        return JsonReply(200,
                         {{"DedicatedIpAutoWarmupEnabled", false},
                          {"EnforcementStatus", "HEALTHY"},
                          {"ProductionAccessEnabled", false},
                          {"SendQuota", {{"Max24HourSend", 200.0}, {"MaxSendRate", 1.0}, {"SentLast24Hours", 0.0}}},
                          {"SendingEnabled", true},
                          {"SuppressionAttributes", {{"SuppressedReasons", nlohmann::json::array()}}}},
                         {{"x-amzn-RequestId", RequestId()}});
    }
    if (path != "/v2/email/outbound-emails" || request.method != "POST")
        return AwsError(request, 404, "UnknownOperationException",
                        "No operation matches " + request.method + " " + path);
    const auto body = ParseJson(request.body);
    if (!body) return AwsError(request, 400, "SerializationException", "Failed to parse the request body as JSON");
    std::optional<std::string> raw;
    if (const std::string problem = CheckSendEmail(*body, &raw); !problem.empty())
        return AwsError(request, 400, "BadRequestException", problem);

    const std::string hex = RandomHex(48);
    const std::string message_id = "0100" + hex.substr(0, 12) + "-" + hex.substr(12, 8) + "-" + hex.substr(20, 4) +
                                   "-" + hex.substr(24, 4) + "-" + hex.substr(28, 4) + "-" + hex.substr(32, 12) +
                                   "-000000";
    sent_.push_back(*body);
    message_ids_.push_back(message_id);
    decoded_raw_.push_back(raw);
    return JsonReply(200, {{"MessageId", message_id}}, {{"x-amzn-RequestId", RequestId()}});
}

std::vector<nlohmann::json> FakeSes::sent() const {
    const std::lock_guard lock(mutex_);
    return sent_;
}

std::vector<std::string> FakeSes::message_ids() const {
    const std::lock_guard lock(mutex_);
    return message_ids_;
}

std::optional<std::string> FakeSes::decoded_raw(size_t i) const {
    const std::lock_guard lock(mutex_);
    if (i >= decoded_raw_.size()) return std::nullopt;
    return decoded_raw_[i];
}

}  // namespace kiln::testing
