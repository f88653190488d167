#include "modules/integrations/messaging/message.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kProgress = {"queued", "accepted", "sending", "sent", "delivered"};
constexpr std::array<std::string_view, 4> kTerminal = {"failed", "undelivered", "bounced", "dropped"};

json Optional(const std::optional<std::string>& value) {
    return value ? json(*value) : json();
}

std::vector<EmailAddress> Addresses(const json& request, const char* field) {
    std::vector<EmailAddress> out;
    if (!request.contains(field)) return out;
    for (const auto& email : request[field]) out.push_back({email.get<std::string>(), ""});
    return out;
}

}  // namespace

json Message::ToJson() const {
    return {{"id", id.str()},
            {"channel", channel},
            {"integration_id", integration_id ? json(integration_id->str()) : json()},
            {"provider", provider},
            {"provider_message_id", Optional(provider_message_id)},
            {"status", status},
            {"recipients", recipients},
            {"subject", Optional(subject)},
            {"source", source},
            {"error", Optional(error)},
            {"sent_at", sent_at ? json(FormatTimestamp(*sent_at)) : json()},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

std::optional<int> MessageStatusRank(const std::string& status) {
    for (size_t i = 0; i < kProgress.size(); ++i)
        if (kProgress[i] == status) return static_cast<int>(i);
    if (IsTerminalMessageStatus(status)) return static_cast<int>(kProgress.size());
    return std::nullopt;
}

bool IsTerminalMessageStatus(const std::string& status) {
    return std::ranges::any_of(kTerminal, [&status](std::string_view word) { return word == status; });
}

EmailMessage EmailFromRequest(const json& request) {
    EmailMessage message;
    message.to = Addresses(request, "to");
    message.cc = Addresses(request, "cc");
    message.bcc = Addresses(request, "bcc");
    message.subject = request.value("subject", "");
    message.text = request.value("text", "");
    message.html = request.value("html", "");
    message.template_id = request.value("template_id", "");
    if (request.contains("template_data")) message.template_data = request["template_data"];
    if (request.contains("attachments")) {
        std::vector<FieldError> errors;
        for (size_t i = 0; i < request["attachments"].size(); ++i) {
            const auto& attachment = request["attachments"][i];
            EmailAttachment decoded{.filename = attachment.value("filename", ""),
                                    .content_type = attachment.value("content_type", "application/octet-stream"),
                                    .content = ""};
            if (!crypto::Base64Decode(attachment.value("content_base64", ""), decoded.content))
                errors.push_back({"attachments[" + std::to_string(i) + "].content_base64", "is not base64"});
            message.attachments.push_back(std::move(decoded));
        }
        if (!errors.empty()) throw ValidationError(std::move(errors));
    }
    return message;
}

json EmailRecipients(const json& request) {
    json recipients = json::object();
    for (const char* field : {"to", "cc", "bcc"})
        if (request.contains(field) && !request[field].empty()) recipients[field] = request[field];
    return recipients;
}

bool IsE164(std::string_view number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
    return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

SmsMessage SmsFromRequest(const json& request) {
    return SmsMessage{.to = request.value("to", ""), .body = request.value("body", ""), .status_callback = ""};
}

}  // namespace kiln::integrations
