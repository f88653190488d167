#include "modules/integrations/providers/twilio_sms.hpp"

#include <regex>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "core/form_encoding.hpp"

namespace kiln::integrations {

namespace {

constexpr const char* kDefaultOrigin = "https://api.twilio.com";
constexpr const char* kApiVersion = "/2010-04-01";

using nlohmann::json;

bool IsSuccess(int status) {
    return status >= 200 && status < 300;
}

/// SM… (SMS) and MM… (MMS) message SIDs; checked before the SID goes into a URL path.
bool IsMessageSid(const std::string& sid) {
    static const std::regex kPattern("^(SM|MM)[0-9a-f]{32}$");
    return std::regex_match(sid, kPattern);
}

/// `code` of `{"code","message","more_info","status"}`: Twilio sends a number, rendered here as text.
std::string ErrorCodeOf(const json& body) {
    if (!body.contains("code")) return "";
    const auto& code = body["code"];
    if (code.is_number_integer()) return std::to_string(code.get<int64_t>());
    if (code.is_string()) return code.get<std::string>();
    return "";
}

}  // namespace

egress::OutboundRequest TwilioSms::Request(const std::string& method, const std::string& suffix) const {
    const auto& config = client_.config();
    const std::string account_sid = config.Required("account_sid");
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(kDefaultOrigin) + kApiVersion + "/Accounts/" + PercentEncode(account_sid) + suffix;
    request.headers = {
        {"Authorization", "Basic " + crypto::Base64Encode(account_sid + ":" + config.Required("auth_token"))},
        {"Accept", "application/json"}};
    return request;
}

void TwilioSms::Fail(const egress::OutboundResponse& response) const {
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object()) client_.FailWith(response, "");
    const std::string message =
        body.contains("message") && body["message"].is_string() ? body["message"].get<std::string>() : std::string();
    client_.FailWith(response, message, ErrorCodeOf(body));
}

json TwilioSms::Object(const egress::OutboundResponse& response) const {
    json body = client_.ParseJson(response);
    if (!body.is_object()) client_.Fail(ProviderError::Kind::kMalformed, "the answer is not a JSON object");
    return body;
}

std::string TwilioSms::Field(const json& object, const char* name) const {
    if (!object.contains(name) || !object[name].is_string() || object[name].get<std::string>().empty())
        client_.Fail(ProviderError::Kind::kMalformed, std::string("the answer has no ") + name);
    return object[name].get<std::string>();
}

void TwilioSms::TestConnection() {
    const auto response = client_.Send(Request("GET", ".json"), true);
    if (!IsSuccess(response.status)) Fail(response);
}

SentMessage TwilioSms::Send(const SmsMessage& message) {
    const auto& config = client_.config();
    std::vector<std::pair<std::string, std::string>> form{{"To", message.to}};
    // A Messaging Service picks the sender from its pool (and handles opt-outs), so it wins over a fixed number.
    const std::string service = config.Get("messaging_service_sid");
    if (!service.empty()) {
        form.emplace_back("MessagingServiceSid", service);
    } else {
        form.emplace_back("From", config.Required("from_number"));
    }
    form.emplace_back("Body", message.body);
    const std::string callback =
        message.status_callback.empty() ? config.Get("status_callback_url") : message.status_callback;
    if (!callback.empty()) form.emplace_back("StatusCallback", callback);

    auto request = Request("POST", "/Messages.json");
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = FormUrlEncode(form);
    const auto response = client_.Send(std::move(request), false);
    if (!IsSuccess(response.status)) Fail(response);
    const json body = Object(response);
    return SentMessage{Field(body, "sid"), Field(body, "status")};
}

std::string TwilioSms::Status(const std::string& provider_message_id) {
    if (!IsMessageSid(provider_message_id))
        client_.Fail(ProviderError::Kind::kRejected, "the message id is not a Twilio message SID (SM…/MM…)");
    const auto response = client_.Send(Request("GET", "/Messages/" + provider_message_id + ".json"), true);
    if (!IsSuccess(response.status)) Fail(response);
    return Field(Object(response), "status");
}

}  // namespace kiln::integrations
