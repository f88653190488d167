#include "modules/integrations/providers/sendgrid/sendgrid_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_email.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

TypeSpec SendGridSpec() {
    return {
        "sendgrid", "email", "SendGrid",
        Schema(
            "SendGrid",
            {{"api_key",
              FromEnv(Secret("API key (SG.…).", R"(^SG\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$)"), "SENDGRID_API_KEY")},
             {"from_email", FromEnv(Text("Verified sender address.", kEmailPattern), "SENDGRID_FROM_EMAIL")},
             {"from_name", Text("Sender name.")},
             {"webhook_public_key", FromEnv(Text("Event Webhook verification key (base64 DER).", "^[A-Za-z0-9+/=]+$"),
                                            "SENDGRID_WEBHOOK_PUBLIC_KEY")},
             {"previous_webhook_public_key", Text("The verification key being replaced.", "^[A-Za-z0-9+/=]+$")}},
            {"api_key", "from_email"}),
        nullptr};
}

}  // namespace

SendGridProvider::SendGridProvider() : Provider(SendGridSpec()) {}

std::unique_ptr<ProviderAdapter> SendGridProvider::NewAdapter(const ProviderClient& client) const {
    return std::make_unique<SendGridEmail>(client);
}

}  // namespace kiln::integrations
