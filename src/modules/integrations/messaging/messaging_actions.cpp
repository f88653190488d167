// The workflow actions send_email and send_sms: a rule's message goes out through MessagingService
// with the run's idempotency key, so a retried run finds the message instead of sending it again.

#include <algorithm>

#include "modules/integrations/messaging/messaging_routes.hpp"
#include "modules/integrations/messaging/messaging_service.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

bool IsTemplated(const std::string& text) {
    return text.find("{{") != std::string::npos;
}

std::string Trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// "a@x.test, b@y.test" → the addresses; each must be an email address.
std::vector<std::string> Recipients(const std::string& to, const std::string& where, std::vector<FieldError>& errors) {
    static const http::Schema kEmail = http::Schema::String().Format("email").MaxLength(320);
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= to.size()) {
        const size_t comma = std::min(to.find(',', start), to.size());
        const std::string address = Trim(to.substr(start, comma - start));
        kEmail.Collect(address, where, errors);
        out.push_back(address);
        start = comma + 1;
    }
    return out;
}

std::optional<std::string> IntegrationParam(const json& params) {
    if (!params.contains("integration_id")) return std::nullopt;
    return Trim(params["integration_id"].get<std::string>());
}

/// The integration must exist and do `capability` (or the tenant must have a default for it); a
/// templated id is only known when the rule runs.
void CheckIntegration(const IntegrationService& service, const db::TenantScope& scope, const json& params,
                      const std::string& capability, const std::string& where, std::vector<FieldError>& errors) {
    const auto id = IntegrationParam(params);
    if (id && IsTemplated(*id)) return;
    try {
        service.Choose(scope, id, capability, where + ".integration_id");
    } catch (const ValidationError& e) {
        errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
    }
}

json Result(const Message& message) {
    return {{"message_id", message.id.str()},
            {"status", message.status},
            {"provider", message.provider},
            {"provider_message_id", message.provider_message_id ? json(*message.provider_message_id) : json()}};
}

workflows::ActionType SendEmailAction(const MessagingService& messaging) {
    return {.name = "send_email",
            .description =
                "An email through the tenant's email provider (SendGrid or SES: the default email "
                "integration, or integration_id). `to` may list several addresses separated by commas. "
                "Strings may quote the event: {{data.customer.email}}. Sent at most once per run.",
            .params = http::Schema::Object()
                          .Required("to", http::Schema::String().MinLength(1).MaxLength(2000))
                          .Required("subject", http::Schema::String().MinLength(1).MaxLength(998))
                          .Field("text", http::Schema::String().MaxLength(100000))
                          .Field("html", http::Schema::String().MaxLength(100000))
                          .Field("integration_id", http::Schema::String().MaxLength(200)),
            .check =
                [messaging](const db::TenantScope& scope, const json& params, const std::string& where,
                            std::vector<FieldError>& errors) {
                    const std::string to = params.at("to");
                    if (!IsTemplated(to)) Recipients(to, where + ".to", errors);
                    if (params.value("text", "").empty() && params.value("html", "").empty())
                        errors.push_back({where + ".text", "text or html is required"});
                    CheckIntegration(messaging.integrations(), scope, params, "email", where, errors);
                },
            .run =
                [messaging](const workflows::ActionRun& run) {
                    std::vector<FieldError> errors;
                    EmailMessage email;
                    for (auto& address : Recipients(run.params.at("to"), "to", errors))
                        email.to.push_back({std::move(address), ""});
                    if (!errors.empty())
                        throw ValidationError(std::move(errors),
                                              "`to` is not a list of email addresses once rendered: " +
                                                  run.params.at("to").get<std::string>());
                    email.subject = run.params.at("subject");
                    email.text = run.params.value("text", "");
                    email.html = run.params.value("html", "");
                    return Result(messaging.SendEmail(run.db, run.tenant, email, "workflow",
                                                      IntegrationParam(run.params), run.idempotency_key));
                }};
}

workflows::ActionType SendSmsAction(const MessagingService& messaging) {
    return {.name = "send_sms",
            .description =
                "An SMS through the tenant's SMS provider (Twilio: the default SMS integration, or "
                "integration_id) to an E.164 number. Strings may quote the event. Sent at most once per run.",
            .params = http::Schema::Object()
                          .Required("to", http::Schema::String().MinLength(1).MaxLength(200))
                          .Required("body", http::Schema::String().MinLength(1).MaxLength(1600))
                          .Field("integration_id", http::Schema::String().MaxLength(200)),
            .check =
                [messaging](const db::TenantScope& scope, const json& params, const std::string& where,
                            std::vector<FieldError>& errors) {
                    const std::string to = params.at("to");
                    if (!IsTemplated(to) && !IsE164(Trim(to)))
                        errors.push_back({where + ".to", "must be a phone number in E.164 form, e.g. +14155550100"});
                    CheckIntegration(messaging.integrations(), scope, params, "sms", where, errors);
                },
            .run =
                [messaging](const workflows::ActionRun& run) {
                    const SmsMessage sms{
                        .to = Trim(run.params.at("to")), .body = run.params.at("body"), .status_callback = ""};
                    if (!IsE164(sms.to))
                        throw ValidationError({{"to", "must be a phone number in E.164 form"}},
                                              "`to` is not an E.164 phone number once rendered: " + sms.to);
                    return Result(messaging.SendSms(run.db, run.tenant, sms, "workflow", IntegrationParam(run.params),
                                                    run.idempotency_key));
                }};
}

}  // namespace

void RegisterMessagingActions(workflows::ActionRegistry& actions, const IntegrationService& service) {
    const MessagingService messaging(service);
    actions.Register(SendEmailAction(messaging));
    actions.Register(SendSmsAction(messaging));
}

}  // namespace kiln::integrations
