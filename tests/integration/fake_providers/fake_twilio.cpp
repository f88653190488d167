#include "fake_twilio.hpp"

#include <algorithm>
#include <regex>

namespace kiln::testing {

using namespace fakeutil;

namespace {

constexpr const char* kApiVersion = "2010-04-01";

bool IsE164(const std::string& number) {
    static const std::regex pattern(R"(^\+[1-9][0-9]{1,14}$)");
    return std::regex_match(number, pattern);
}

bool IsChannelAddress(const std::string& address) {
    static const std::regex pattern(R"(^(whatsapp|messenger|rcs):.+$)");
    if (!std::regex_match(address, pattern)) return false;
    const std::string rest = address.substr(address.find(':') + 1);
    return !StartsWith(address, "whatsapp:") || IsE164(rest);
}

bool IsValidSender(const std::string& from) {
    static const std::regex short_code(R"(^[0-9]{3,8}$)");
    static const std::regex alphanumeric(R"(^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$)");
    return IsE164(from) || IsChannelAddress(from) || std::regex_match(from, short_code) ||
           std::regex_match(from, alphanumeric);
}

bool IsAbsoluteUrl(const std::string& url) {
    static const std::regex pattern(R"(^https?://[^\s/?#]+([/?#]\S*)?$)", std::regex::icase);
    return std::regex_match(url, pattern);
}

size_t CodePoints(const std::string& text) {
    return static_cast<size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

FakeTwilio::FakeTwilio(std::string account_sid, std::string auth_token)
    : account_sid_(std::move(account_sid)), auth_token_(std::move(auth_token)) {
    Start();
}

FakeTwilio::~FakeTwilio() {
    Stop();
}

Reply FakeTwilio::TwilioError(const ReceivedRequest& request, int status, int code, const std::string& message) {
    Violation(request, "HTTP " + std::to_string(status) + " code " + std::to_string(code) + ": " + message);
    Reply reply = JsonReply(status, {{"code", code},
                                     {"message", message},
                                     {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                                     {"status", status}});
    if (status == 401) reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return reply;
}

Reply FakeTwilio::Handle(const ReceivedRequest& request) {
    // Authentication: Basic AccountSid:AuthToken or ApiKeySid:ApiKeySecret.
    bool authenticated = false;
    if (const auto authorization = request.Header("Authorization")) {
        const std::string value = Trim(*authorization);
        const size_t space = value.find(' ');
        if (space != std::string::npos && ToLower(value.substr(0, space)) == "basic") {
            if (const auto decoded = Base64Decode(Trim(value.substr(space + 1)))) {
                const size_t colon = decoded->find(':');
                if (colon != std::string::npos) {
                    const std::string user = decoded->substr(0, colon);
                    const std::string password = decoded->substr(colon + 1);
                    if (user == account_sid_) {
                        authenticated = ConstantTimeEquals(password, auth_token_);
                    } else if (const auto key = api_keys_.find(user); key != api_keys_.end()) {
                        authenticated = ConstantTimeEquals(password, key->second);
                    }
                }
            }
        }
    }
    if (!authenticated) return TwilioError(request, 401, 20003, "Authenticate");

    const auto [path, query] = SplitTarget(request.target);
    const auto segments =
        Split(path, '/');  // "", "2010-04-01", "Accounts", sid, "Messages.json" | "Messages", "SM….json"
    // A structured binding cannot be captured before C++20's P1091 (clang 14 refuses it): capture a name.
    const auto not_found = [&, &requested = path] {
        return TwilioError(request, 404, 20404, "The requested resource " + requested + " was not found");
    };
    if (segments.size() < 4 || segments[1] != kApiVersion || segments[2] != "Accounts") return not_found();
    if (segments.size() == 4 && EndsWith(segments[3], ".json")) {
        // Fetch the account: what a connectivity check calls.
        if (segments[3] != account_sid_ + ".json") return TwilioError(request, 401, 20003, "Authenticate");
        if (request.method != "GET") return TwilioError(request, 405, 20004, "Method not allowed");
        const std::string uri = "/" + std::string(kApiVersion) + "/Accounts/" + account_sid_ + ".json";
        const std::string now = Rfc2822(UnixNow());
        return JsonReply(
            200, {{"auth_token", auth_token_},
                  {"date_created", now},
                  {"date_updated", now},
                  {"friendly_name", "Kiln test account"},
                  {"owner_account_sid", account_sid_},
                  {"sid", account_sid_},
                  {"status", "active"},
                  {"subresource_uris",
                   {{"messages", "/" + std::string(kApiVersion) + "/Accounts/" + account_sid_ + "/Messages.json"}}},
                  {"type", "Trial"},
                  {"uri", uri}});
    }
    if (segments[3] != account_sid_) return TwilioError(request, 401, 20003, "Authenticate");
    if (segments.size() == 5 && segments[4] == "Messages.json") {
        if (request.method == "POST") return CreateMessage(request);
        if (request.method == "GET") {
            nlohmann::json list = nlohmann::json::array();
            for (auto it = message_order_.rbegin(); it != message_order_.rend(); ++it) list.push_back(messages_[*it]);
            const std::string uri = path + (query.empty() ? "" : "?" + query);
            return JsonReply(200, {{"messages", list},
                                   {"end", list.empty() ? 0 : list.size() - 1},
                                   {"first_page_uri", uri},
                                   {"next_page_uri", nullptr},
                                   {"page", 0},
                                   {"page_size", 50},
                                   {"previous_page_uri", nullptr},
                                   {"start", 0},
                                   {"uri", uri}});
        }
        return TwilioError(request, 405, 20004, "Method not allowed");
    }
    if (segments.size() == 6 && segments[4] == "Messages" && EndsWith(segments[5], ".json") &&
        request.method == "GET") {
        const std::string sid = segments[5].substr(0, segments[5].size() - 5);
        const auto found = messages_.find(sid);
        if (found == messages_.end()) return not_found();
        return JsonReply(200, found->second);
    }
    if (segments.size() >= 5 && !EndsWith(segments.back(), ".json"))
        return TwilioError(request, 404, 20404,
                           "The requested resource " + path +
                               " was not found (without the .json suffix Twilio answers XML, never JSON)");
    return not_found();
}

Reply FakeTwilio::CreateMessage(const ReceivedRequest& request) {
    const std::string media = MediaType(request.Header("Content-Type"));
    std::optional<Params> params = Params{};
    if (media == "application/x-www-form-urlencoded") {
        params = ParseForm(request.body);
        if (!params) return TwilioError(request, 400, 20001, "Invalid form-encoded body (bad percent-encoding)");
    } else if (!request.body.empty()) {
        // Twilio reads only form parameters; a JSON body looks like no parameters at all.
        Violation(request, "body is not application/x-www-form-urlencoded (Content-Type '" +
                               request.Header("Content-Type").value_or("") + "'): Twilio ignores it");
    }
    const auto get = [&](const std::string& name) -> std::optional<std::string> {
        for (const auto& [key, value] : *params)
            if (key == name) return value;
        return std::nullopt;
    };
    const auto all = [&](const std::string& name) {
        std::vector<std::string> values;
        for (const auto& [key, value] : *params)
            if (key == name) values.push_back(value);
        return values;
    };

    const auto to = get("To");
    if (!to || to->empty()) return TwilioError(request, 400, 21604, "A 'To' phone number is required.");
    if (!IsE164(*to) && !IsChannelAddress(*to))
        return TwilioError(request, 400, 21211, "Invalid 'To' Phone Number: " + *to);

    const auto from = get("From");
    const auto service = get("MessagingServiceSid");
    const bool has_from = from && !from->empty();
    const bool has_service = service && !service->empty();
    if (!has_from && !has_service) return TwilioError(request, 400, 21603, "A 'From' phone number is required.");
    if (has_from && has_service)
        return TwilioError(request, 400, 21606,
                           "Send either From or MessagingServiceSid, not both (the fake requires exactly one).");
    if (has_from && !IsValidSender(*from))
        return TwilioError(request, 400, 21212,
                           "Invalid From Number (The 'From' number " + *from +
                               " is not a valid phone number, shortcode, or alphanumeric sender ID)");
    static const std::regex service_pattern(R"(^MG[0-9a-f]{32}$)");
    if (has_service && !std::regex_match(*service, service_pattern))
        return TwilioError(request, 400, 21701, "The Messaging Service Sid " + *service + " is invalid.");

    const auto body = get("Body");
    const auto media_urls = all("MediaUrl");
    const auto content_sid = get("ContentSid");
    if ((!body || body->empty()) && media_urls.empty() && !content_sid)
        return TwilioError(request, 400, 21602, "Message body is required.");
    if (body && CodePoints(*body) > 1600)
        return TwilioError(request, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    for (const auto& url : media_urls)
        if (!IsAbsoluteUrl(url)) return TwilioError(request, 400, 21620, "Invalid media URL(s): " + url);
    if (const auto callback = get("StatusCallback"); callback && !IsAbsoluteUrl(*callback))
        return TwilioError(request, 400, 21609, "Invalid StatusCallback url: " + *callback);

    const std::string sid = (media_urls.empty() ? "SM" : "MM") + RandomHex(32);
    const std::string now = Rfc2822(UnixNow());
    const std::string uri = std::string("/") + kApiVersion + "/Accounts/" + account_sid_ + "/Messages/" + sid;
    nlohmann::json message = {
        {"sid", sid},
        {"account_sid", account_sid_},
        {"api_version", kApiVersion},
        {"body", body.value_or("")},
        {"date_created", now},
        {"date_updated", now},
        {"date_sent", nullptr},
        {"direction", "outbound-api"},
        {"error_code", nullptr},
        {"error_message", nullptr},
        {"from", has_from ? nlohmann::json(*from) : nlohmann::json(nullptr)},
        {"messaging_service_sid", has_service ? nlohmann::json(*service) : nlohmann::json(nullptr)},
        {"num_media", std::to_string(media_urls.size())},
        {"num_segments", has_service ? "0" : "1"},
        {"price", nullptr},
        {"price_unit", "USD"},
        {"status", has_service ? "accepted" : "queued"},
        {"subresource_uris", {{"media", uri + "/Media.json"}, {"feedback", uri + "/Feedback.json"}}},
        {"to", *to},
        {"uri", uri + ".json"},
    };
    messages_[sid] = message;
    message_order_.push_back(sid);
    return JsonReply(201, message);
}

void FakeTwilio::AddApiKey(const std::string& sid, const std::string& secret) {
    const std::lock_guard lock(mutex_);
    api_keys_[sid] = secret;
}

void FakeTwilio::SetStatus(const std::string& sid, const std::string& status) {
    const std::lock_guard lock(mutex_);
    const auto found = messages_.find(sid);
    if (found == messages_.end()) return;
    auto& message = found->second;
    message["status"] = status;
    message["date_updated"] = Rfc2822(UnixNow());
    if ((status == "sent" || status == "delivered") && message["date_sent"].is_null())
        message["date_sent"] = message["date_updated"];
    if (message["num_segments"] == "0" && status != "accepted" && status != "queued") message["num_segments"] = "1";
    if ((status == "failed" || status == "undelivered") && message["error_code"].is_null()) {
        message["error_code"] = 30003;
        message["error_message"] = "Unreachable destination handset";
    }
}

std::vector<nlohmann::json> FakeTwilio::messages() const {
    const std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    for (const auto& sid : message_order_) out.push_back(messages_.at(sid));
    return out;
}

std::optional<nlohmann::json> FakeTwilio::message(const std::string& sid) const {
    const std::lock_guard lock(mutex_);
    const auto found = messages_.find(sid);
    if (found == messages_.end()) return std::nullopt;
    return found->second;
}

std::string FakeTwilio::Signature(const std::string& auth_token, const std::string& url,
                                  const std::vector<std::pair<std::string, std::string>>& params) {
    auto sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string data = url;
    for (const auto& [name, value] : sorted) data += name + value;
    return Base64Encode(HmacSha1(auth_token, data));
}

}  // namespace kiln::testing
