#include "modules/integrations/providers/twilio/twilio_sms.hpp"

#include <regex>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "core/form_encoding.hpp"
#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

constexpr const char* kDefaultOrigin = "https://api.twilio.com";
constexpr const char* kApiVersion = "/2010-04-01";

using nlohmann::json;

/// SM… (SMS) and MM… (MMS) message SIDs; checked before the SID goes into a URL path.
bool IsMessageSid(const std::string& sid) {
    static const std::regex kPattern("^(SM|MM)[0-9a-f]{32}$");
    return std::regex_match(sid, kPattern);
}

/// The message and code of Twilio's `{"code","message","more_info","status"}`, empty when the body is not one. The
/// code is a number, rendered here as text.
std::pair<std::string, std::string> ErrorOf(const std::string& body) {
    const json parsed = json::parse(body, nullptr, false);
    return {StringField(parsed, "message"), IdField(parsed, "code")};
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

std::string TwilioSms::Field(const json& object, const char* name) const {
    std::string value = StringField(object, name);
    if (value.empty()) client_.Fail(ProviderError::Kind::kMalformed, std::string("the answer has no ") + name);
    return value;
}

void TwilioSms::TestConnection() {
    const auto response = client_.Send(Request("GET", ".json"), true);
    if (!IsSuccess(response.status)) {
        const auto [message, code] = ErrorOf(response.body);
        client_.FailWith(response, message, code);
    }
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
    const json body = client_.SendForObject(std::move(request), false, ErrorOf);
    return SentMessage{Field(body, "sid"), Field(body, "status")};
}

std::string TwilioSms::Status(const std::string& provider_message_id) {
    if (!IsMessageSid(provider_message_id))
        client_.Fail(ProviderError::Kind::kRejected, "the message id is not a Twilio message SID (SM…/MM…)");
    return Field(client_.SendForObject(Request("GET", "/Messages/" + provider_message_id + ".json"), true, ErrorOf),
                 "status");
}

}  // namespace kiln::integrations
