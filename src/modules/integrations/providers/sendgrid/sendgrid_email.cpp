#include "modules/integrations/providers/sendgrid/sendgrid_email.hpp"

#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

constexpr const char* kDefaultOrigin = "https://api.sendgrid.com";

using nlohmann::json;

/// {email, name}; SendGrid rejects an empty name, so it is left out rather than sent blank.
json Address(const EmailAddress& address) {
    json out{{"email", address.email}};
    if (!address.name.empty()) out["name"] = address.name;
    return out;
}

json Addresses(const std::vector<EmailAddress>& addresses) {
    json out = json::array();
    for (const auto& address : addresses) out.push_back(Address(address));
    return out;
}

/// The messages of `{"errors":[{"message","field"}]}` joined, each with its field when SendGrid names one;
/// "" when the body is not that shape (FailWith then reports the HTTP status alone).
std::string ErrorMessages(const std::string& body) {
    const json parsed = json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("errors") || !parsed["errors"].is_array()) return "";
    std::string joined;
    for (const auto& error : parsed["errors"]) {
        if (!error.is_object() || !error.contains("message") || !error["message"].is_string()) continue;
        std::string text = error["message"].get<std::string>();
        if (error.contains("field") && error["field"].is_string() && !error["field"].get<std::string>().empty())
            text += " (" + error["field"].get<std::string>() + ")";
        if (!joined.empty()) joined += "; ";
        joined += text;
    }
    return joined;
}

}  // namespace

egress::OutboundRequest SendGridEmail::Request(const std::string& method, const std::string& path) const {
    const auto& config = client_.config();
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(kDefaultOrigin) + path;
    request.headers = {{"Authorization", "Bearer " + config.Required("api_key")}, {"Accept", "application/json"}};
    return request;
}

void SendGridEmail::Fail(const egress::OutboundResponse& response) const {
    client_.FailWith(response, ErrorMessages(response.body));
}

void SendGridEmail::TestConnection() {
    const auto response = client_.Send(Request("GET", "/v3/scopes"), true);
    if (!IsSuccess(response.status)) Fail(response);
}

json SendGridEmail::MailBody(const EmailMessage& message) const {
    json personalization{{"to", Addresses(message.to)}};
    if (!message.cc.empty()) personalization["cc"] = Addresses(message.cc);
    if (!message.bcc.empty()) personalization["bcc"] = Addresses(message.bcc);
    if (!message.subject.empty()) personalization["subject"] = message.subject;
    if (!message.template_id.empty())
        personalization["dynamic_template_data"] =
            message.template_data.is_object() ? message.template_data : json::object();
    if (!message.tags.empty()) personalization["custom_args"] = message.tags;

    const auto& config = client_.config();
    const EmailAddress from = message.from && !message.from->email.empty()
                                  ? *message.from
                                  : EmailAddress{config.Required("from_email"), config.Get("from_name")};
    json body{{"personalizations", json::array({personalization})}, {"from", Address(from)}};
    if (message.reply_to) body["reply_to"] = Address(*message.reply_to);

    // SendGrid refuses any order other than text/plain first, then text/html.
    json content = json::array();
    if (!message.text.empty()) content.push_back({{"type", "text/plain"}, {"value", message.text}});
    if (!message.html.empty()) content.push_back({{"type", "text/html"}, {"value", message.html}});
    if (!content.empty()) body["content"] = std::move(content);

    if (!message.attachments.empty()) {
        json attachments = json::array();
        for (const auto& attachment : message.attachments)
            attachments.push_back({{"content", crypto::Base64Encode(attachment.content)},
                                   {"filename", attachment.filename},
                                   {"type", attachment.content_type},
                                   {"disposition", "attachment"}});
        body["attachments"] = std::move(attachments);
    }
    if (!message.template_id.empty()) body["template_id"] = message.template_id;
    return body;
}

SentMessage SendGridEmail::Send(const EmailMessage& message) {
    auto request = Request("POST", "/v3/mail/send");
    request.headers.emplace_back("Content-Type", "application/json");
    // Invalid UTF-8 in a subject or body becomes U+FFFD instead of aborting the send with a JSON exception.
    request.body = MailBody(message).dump(-1, ' ', false, json::error_handler_t::replace);
    const auto response = client_.Send(std::move(request), false);
    if (!IsSuccess(response.status)) Fail(response);
    // 202 has an empty body: the only handle on the message is this header (events' sg_message_id start with it).
    return SentMessage{response.Header("X-Message-Id").value_or(""), "queued"};
}

}  // namespace kiln::integrations
