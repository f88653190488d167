#include "modules/integrations/providers/twilio/twilio_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/twilio/twilio_sms.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using namespace config_schema;

TypeSpec TwilioSpec() {
    return {
        "twilio", "sms", "Twilio",
        Schema(
            "Twilio",
            {{"account_sid", Endpoint(FromEnv(Text("Account SID (AC…).", "^AC[0-9a-f]{32}$"), "TWILIO_ACCOUNT_SID"))},
             {"auth_token", FromEnv(Secret("Auth token; also signs Twilio's status callbacks.", "^[0-9a-f]{32}$"),
                                    "TWILIO_AUTH_TOKEN")},
             {"previous_auth_token",
              Secret("The auth token being rotated out; still verifies callbacks.", "^[0-9a-f]{32}$")},
             {"from_number", FromEnv(Text("Sender number in E.164.", kE164Pattern), "TWILIO_FROM_NUMBER")},
             {"messaging_service_sid",
              FromEnv(Text("Messaging Service SID (MG…).", "^MG[0-9a-f]{32}$"), "TWILIO_MESSAGING_SERVICE_SID")},
             {"status_callback_url",
              Text("Public URL of this integration's hook (…/hooks/<id>) for delivery status callbacks.",
                   kUrlPattern)}},
            {"account_sid", "auth_token"}),
        [](const json& config, const std::string&, std::vector<FieldError>& errors) {
            RequireOneOf(config, "from_number", "messaging_service_sid", errors);
        }};
}

}  // namespace

TwilioProvider::TwilioProvider() : Provider(TwilioSpec()) {}

std::unique_ptr<ProviderAdapter> TwilioProvider::NewAdapter(const ProviderClient& client) const {
    return std::make_unique<TwilioSms>(client);
}

}  // namespace kiln::integrations
