#include "modules/integrations/providers/ses/ses_email.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "modules/integrations/crypto/aws_sigv4.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/ses/ses_provider.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr const char* kSendPath = "/v2/email/outbound-emails";
constexpr const char* kAccountPath = "/v2/email/account";
constexpr const char* kJson = "application/json";
constexpr const char* kCrlf = "\r\n";
constexpr const char* kHeaderFold = "\r\n ";
// 45 bytes make 60 base64 characters: with "=?UTF-8?B?" and "?=" an encoded word stays within RFC 2047's 75.
constexpr size_t kEncodedChunkBytes = 45;
constexpr size_t kBase64LineLength = 76;
// Header lines may not exceed 998 characters (RFC 5322); longer plain text is sent as folded encoded words.
constexpr size_t kMaxPlainHeaderText = 900;
constexpr size_t kMaxTagLength = 256;
constexpr size_t kBoundaryRandomBytes = 16;

/// Printable ASCII only: nothing that needs encoding, and no CR/LF that could inject a header.
bool IsPlainAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool IsUtf8Continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

/// RFC 2047 B-encoded words, split on UTF-8 character boundaries (a word may not end inside a character).
std::string EncodedWords(std::string_view text, std::string_view separator) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = std::min(at + kEncodedChunkBytes, text.size());
        while (end > at && end < text.size() && IsUtf8Continuation(text[end])) --end;
        if (end == at) end = std::min(at + kEncodedChunkBytes, text.size());  // not UTF-8: split anywhere
        if (!out.empty()) out += separator;
        out += "=?UTF-8?B?" + crypto::Base64Encode(text.substr(at, end - at)) + "?=";
        at = end;
    }
    return out;
}

/// Unstructured header text (Subject): as-is when plain and short, else encoded words.
std::string HeaderText(std::string_view text, std::string_view separator) {
    if (IsPlainAscii(text) && text.size() <= kMaxPlainHeaderText) return std::string(text);
    return EncodedWords(text, separator);
}

/// Contents of a quoted-string: backslash and double quote escaped.
std::string QuotedContent(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

/// A display name as RFC 5322 allows it: plain atoms as-is, specials inside quotes, non-ASCII encoded.
std::string DisplayName(std::string_view name, std::string_view separator) {
    if (!IsPlainAscii(name)) return EncodedWords(name, separator);
    if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos) return std::string(name);
    return "\"" + QuotedContent(name) + "\"";
}

/// The attachment's file name for `filename="…"`; non-ASCII names as an encoded word, which mail clients decode.
std::string FileName(std::string_view name) {
    if (name.empty()) return "attachment";
    if (IsPlainAscii(name) && name.size() <= kMaxPlainHeaderText) return QuotedContent(name);
    return EncodedWords(name, " ");
}

/// The attachment's media type when it is safe to put in a header, else the generic one.
std::string MediaType(const std::string& content_type) {
    const bool usable = !content_type.empty() && IsPlainAscii(content_type) &&
                        content_type.find('/') != std::string::npos && content_type.find('"') == std::string::npos;
    return usable ? content_type : "application/octet-stream";
}

std::string Base64Lines(std::string_view bytes) {
    const std::string encoded = crypto::Base64Encode(bytes);
    std::string out;
    out.reserve(encoded.size() + (encoded.size() / kBase64LineLength + 1) * 2);
    for (size_t at = 0; at < encoded.size(); at += kBase64LineLength) {
        out.append(encoded, at, kBase64LineLength);
        out += kCrlf;
    }
    return out.empty() ? std::string(kCrlf) : out;
}

/// One base64 body part; `headers` are complete lines (each ending in CRLF).
void AppendPart(std::string& out, const std::string& boundary, const std::string& headers, std::string_view content) {
    out +=
        "--" + boundary + kCrlf + headers + "Content-Transfer-Encoding: base64" + kCrlf + kCrlf + Base64Lines(content);
}

std::string Boundary(std::string_view kind) {
    return fmt::format("=_kiln_{}_{}", kind, crypto::HexEncode(crypto::RandomBytes(kBoundaryRandomBytes)));
}

/// RFC 5322 date in UTC ("Thu, 01 Jan 2026 12:00:00 +0000"), with English names whatever the locale.
std::string MailDate(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(now);
    const year_month_day date{day};
    const hh_mm_ss time{floor<seconds>(now - day)};
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays.at(weekday{day}.c_encoding()),
                       static_cast<unsigned>(date.day()), kMonths.at(static_cast<unsigned>(date.month()) - 1),
                       static_cast<int>(date.year()), time.hours().count(), time.minutes().count(),
                       time.seconds().count());
}

/// EmailTags allow only [A-Za-z0-9_-] and at most 256 characters.
std::string TagText(std::string_view text) {
    std::string out(text.substr(0, kMaxTagLength));
    for (char& c : out) {
        const bool allowed =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!allowed) c = '_';
    }
    return out;
}

/// "MessageRejected:http://…" or "aws.protocol#SerializationException" → the bare error name.
std::string ErrorType(std::string value) {
    if (const size_t colon = value.find(':'); colon != std::string::npos) value.resize(colon);
    if (const size_t hash = value.rfind('#'); hash != std::string::npos) value.erase(0, hash + 1);
    return value;
}

/// `host[:port]` and the path prefix of the base URL: the host is signed, and the path signed is the one sent.
struct BaseUrlParts {
    std::string authority;
    std::string path_prefix;
};

BaseUrlParts SplitBaseUrl(const std::string& base) {
    const size_t scheme_end = base.find("://");
    const size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const size_t end = base.find_first_of("/?#", start);
    BaseUrlParts parts;
    parts.authority = base.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (const size_t at = parts.authority.rfind('@'); at != std::string::npos) parts.authority.erase(0, at + 1);
    if (end != std::string::npos) parts.path_prefix = base.substr(end);
    return parts;
}

}  // namespace

egress::OutboundResponse SesEmail::Call(const std::string& method, const std::string& path, std::string body,
                                        bool retry_safe) const {
    const auto& config = client_.config();
    const std::string region = config.Required("region");
    // The region becomes part of the pinned host: only a region name may, never a host of its own.
    if (!IsAwsRegion(region)) client_.Fail(ProviderError::Kind::kMisconfigured, "region is not an AWS region name");
    const std::string base = config.BaseUrl("https://email." + region + ".amazonaws.com");
    const BaseUrlParts parts = SplitBaseUrl(base);
    if (parts.authority.empty()) client_.Fail(ProviderError::Kind::kMisconfigured, "the base URL has no host");

    signatures::SigV4Request to_sign;
    to_sign.method = method;
    to_sign.path = parts.path_prefix + path;
    to_sign.headers = {{"host", parts.authority}};
    if (!body.empty()) to_sign.headers.emplace_back("content-type", kJson);
    to_sign.body = body;
    const signatures::SigV4Credentials credentials{config.Required("access_key_id"),
                                                   config.Required("secret_access_key"), config.Get("session_token")};
    const auto signature = signatures::SignV4(to_sign, credentials, region, "ses", clock_());

    egress::OutboundRequest request;
    request.method = method;
    request.url = base + path;
    // Host is sent explicitly so that the value on the wire is the one signed, whatever curl would derive.
    request.headers = {{"Host", parts.authority}};
    if (!body.empty()) request.headers.emplace_back("Content-Type", kJson);
    request.headers.emplace_back("X-Amz-Date", signature.amz_date);
    if (!credentials.session_token.empty())
        request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    request.headers.emplace_back("Authorization", signature.authorization);
    request.body = std::move(body);
    return client_.Send(std::move(request), retry_safe);
}

void SesEmail::Fail(const egress::OutboundResponse& response) const {
    std::string type = ErrorType(response.Header("x-amzn-ErrorType").value_or(""));
    std::string message;
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        for (const char* key : {"message", "Message"}) {
            if (body.contains(key) && body[key].is_string()) {
                message = body[key].get<std::string>();
                break;
            }
        }
        if (type.empty() && body.contains("__type") && body["__type"].is_string())
            type = ErrorType(body["__type"].get<std::string>());
    }
    std::string reason = type.empty() || message.empty() ? type + message : type + ": " + message;
    client_.FailWith(response, reason, type);
}

void SesEmail::TestConnection() {
    const auto response = Call("GET", kAccountPath, "", true);
    if (!IsSuccess(response.status)) Fail(response);
}

std::string SesEmail::FormatAddress(const EmailAddress& address, const std::string& fold) const {
    // An address goes verbatim into MIME headers and SES's own: a control character or bracket would forge one.
    if (address.email.empty() || !IsPlainAscii(address.email) || address.email.find_first_of("<>") != std::string::npos)
        client_.Fail(ProviderError::Kind::kRejected,
                     "an email address is empty or has characters a mail header "
                     "cannot carry");
    if (address.name.empty()) return address.email;
    return DisplayName(address.name, fold) + " <" + address.email + ">";
}

EmailAddress SesEmail::Sender(const EmailMessage& message) const {
    if (message.from && !message.from->email.empty()) return *message.from;
    const auto& config = client_.config();
    return EmailAddress{config.Required("from_email"), config.Get("from_name")};
}

std::string SesEmail::Mime(const EmailMessage& message, const EmailAddress& from) const {
    const auto list = [&](const std::vector<EmailAddress>& addresses) {
        std::string out;
        for (const auto& address : addresses) {
            if (!out.empty()) out += std::string(",") + kHeaderFold;
            out += FormatAddress(address, kHeaderFold);
        }
        return out;
    };
    std::string mime = "From: " + FormatAddress(from, kHeaderFold) + kCrlf;
    // A message for Bcc recipients only still needs a To header; the empty group is RFC 5322's way to say so.
    mime += "To: " + (message.to.empty() ? std::string("undisclosed-recipients:;") : list(message.to)) + kCrlf;
    if (!message.cc.empty()) mime += "Cc: " + list(message.cc) + kCrlf;
    if (message.reply_to) mime += "Reply-To: " + FormatAddress(*message.reply_to, kHeaderFold) + kCrlf;
    mime += "Subject: " + HeaderText(message.subject, kHeaderFold) + kCrlf;
    mime += "Date: " + MailDate(clock_()) + kCrlf;
    mime += std::string("MIME-Version: 1.0") + kCrlf;
    const std::string mixed = Boundary("mixed");
    mime += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"" + kCrlf + kCrlf;

    if (!message.text.empty() || !message.html.empty()) {
        const std::string alternative = Boundary("alt");
        mime += "--" + mixed + kCrlf + "Content-Type: multipart/alternative; boundary=\"" + alternative + "\"" + kCrlf +
                kCrlf;
        // Readers show the last alternative they understand, so the plain text goes first.
        if (!message.text.empty())
            AppendPart(mime, alternative, std::string("Content-Type: text/plain; charset=UTF-8") + kCrlf, message.text);
        if (!message.html.empty())
            AppendPart(mime, alternative, std::string("Content-Type: text/html; charset=UTF-8") + kCrlf, message.html);
        mime += "--" + alternative + "--" + kCrlf;
    }
    for (const auto& attachment : message.attachments) {
        const std::string name = FileName(attachment.filename);
        const std::string headers =
            fmt::format("Content-Type: {}; name=\"{}\"\r\nContent-Disposition: attachment; filename=\"{}\"\r\n",
                        MediaType(attachment.content_type), name, name);
        AppendPart(mime, mixed, headers, attachment.content);
    }
    mime += "--" + mixed + "--" + kCrlf;
    return mime;
}

json SesEmail::Content(const EmailMessage& message, const EmailAddress& from) const {
    if (!message.template_id.empty()) {
        // SendEmail's Template content carries no attachments; dropping them silently would lose documents.
        if (!message.attachments.empty())
            client_.Fail(ProviderError::Kind::kRejected, "an SES template message cannot carry attachments");
        const json data = message.template_data.is_object() ? message.template_data : json::object();
        return {{"Template",
                 {{"TemplateName", message.template_id},
                  {"TemplateData", data.dump(-1, ' ', false, json::error_handler_t::replace)}}}};
    }
    if (!message.attachments.empty()) return {{"Raw", {{"Data", crypto::Base64Encode(Mime(message, from))}}}};
    json body = json::object();
    if (!message.text.empty()) body["Text"] = {{"Data", message.text}, {"Charset", "UTF-8"}};
    if (!message.html.empty()) body["Html"] = {{"Data", message.html}, {"Charset", "UTF-8"}};
    return {{"Simple", {{"Subject", {{"Data", message.subject}, {"Charset", "UTF-8"}}}, {"Body", body}}}};
}

json SesEmail::SendBody(const EmailMessage& message) const {
    const auto addresses = [&](const std::vector<EmailAddress>& list) {
        json out = json::array();
        for (const auto& address : list) out.push_back(FormatAddress(address, " "));
        return out;
    };
    const EmailAddress from = Sender(message);
    json destination = json::object();
    if (!message.to.empty()) destination["ToAddresses"] = addresses(message.to);
    if (!message.cc.empty()) destination["CcAddresses"] = addresses(message.cc);
    if (!message.bcc.empty()) destination["BccAddresses"] = addresses(message.bcc);

    json body{{"FromEmailAddress", FormatAddress(from, " ")}, {"Destination", destination}};
    if (message.reply_to) body["ReplyToAddresses"] = json::array({FormatAddress(*message.reply_to, " ")});
    body["Content"] = Content(message, from);

    json tags = json::array();
    for (const auto& [name, value] : message.tags) {
        // SES refuses an empty name or value; such a tag carries nothing worth failing the send for.
        if (name.empty() || value.empty()) continue;
        tags.push_back({{"Name", TagText(name)}, {"Value", TagText(value)}});
    }
    if (!tags.empty()) body["EmailTags"] = std::move(tags);
    if (const std::string set = client_.config().Get("configuration_set_name"); !set.empty())
        body["ConfigurationSetName"] = set;
    return body;
}

SentMessage SesEmail::Send(const EmailMessage& message) {
    // Invalid UTF-8 in a subject or body becomes U+FFFD instead of aborting the send with a JSON exception.
    std::string body = SendBody(message).dump(-1, ' ', false, json::error_handler_t::replace);
    const auto response = Call("POST", kSendPath, std::move(body), false);
    if (!IsSuccess(response.status)) Fail(response);
    std::string message_id = StringField(client_.ParseJson(response), "MessageId");
    if (message_id.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the answer has no MessageId");
    return SentMessage{std::move(message_id), "sent"};
}

}  // namespace kiln::integrations
