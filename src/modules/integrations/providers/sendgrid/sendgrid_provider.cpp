#include "modules/integrations/providers/sendgrid/sendgrid_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_email.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

TypeSpec SendGridSpec() {
    return Spec(
        "sendgrid", "email", "SendGrid",
        {{"api_key",
          FromEnv(Secret("API key (SG.…).", R"(^SG\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$)"), "SENDGRID_API_KEY")},
         {"from_email", FromEnv(Text("Verified sender address.", kEmailPattern), "SENDGRID_FROM_EMAIL")},
         {"from_name", Text("Sender name.")},
         {"webhook_public_key", FromEnv(Text("Event Webhook verification key (base64 DER).", "^[A-Za-z0-9+/=]+$"),
                                        "SENDGRID_WEBHOOK_PUBLIC_KEY")},
         {"previous_webhook_public_key", Text("The verification key being replaced.", "^[A-Za-z0-9+/=]+$")}},
        {"api_key", "from_email"});
}

}  // namespace

SendGridProvider::SendGridProvider() : Provider(SendGridSpec(), MakeAdapter<SendGridEmail>) {}

}  // namespace kiln::integrations
