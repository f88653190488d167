#include "modules/integrations/providers/twilio/twilio_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/twilio/twilio_sms.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

TypeSpec TwilioSpec() {
    return Spec(
        "twilio", "sms", "Twilio",
        {{"account_sid", Endpoint(FromEnv(Text("Account SID (AC…).", "^AC[0-9a-f]{32}$"), "TWILIO_ACCOUNT_SID"))},
         {"auth_token",
          FromEnv(Secret("Auth token; also signs Twilio's status callbacks.", "^[0-9a-f]{32}$"), "TWILIO_AUTH_TOKEN")},
         {"previous_auth_token",
          Secret("The auth token being rotated out; still verifies callbacks.", "^[0-9a-f]{32}$")},
         {"from_number", FromEnv(Text("Sender number in E.164.", kE164Pattern), "TWILIO_FROM_NUMBER")},
         {"messaging_service_sid",
          FromEnv(Text("Messaging Service SID (MG…).", "^MG[0-9a-f]{32}$"), "TWILIO_MESSAGING_SERVICE_SID")},
         {"status_callback_url",
          Text("Public URL of this integration's hook (…/hooks/<id>) for delivery status callbacks.", kUrlPattern)}},
        {"account_sid", "auth_token"}, RequiresOneOf("from_number", "messaging_service_sid"));
}

}  // namespace

TwilioProvider::TwilioProvider() : Provider(TwilioSpec(), MakeAdapter<TwilioSms>) {}

}  // namespace kiln::integrations
