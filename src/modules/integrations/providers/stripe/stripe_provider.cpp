#include "modules/integrations/providers/stripe/stripe_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/stripe/stripe_gateway.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using namespace config_schema;

TypeSpec StripeSpec() {
    return {"stripe", "payments", "Stripe",
            Schema("Stripe",
                   {{"api_key", FromEnv(Secret("Secret or restricted key (sk_test_…, rk_live_…).",
                                               "^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$"),
                                        "STRIPE_API_KEY")},
                    {"webhook_secret",
                     FromEnv(Secret("Signing secret of the webhook endpoint (whsec_…).", "^whsec_[A-Za-z0-9+/=]{8,}$"),
                             "STRIPE_WEBHOOK_SECRET")},
                    {"previous_webhook_secret", Secret("The signing secret being rolled out, accepted until removed.",
                                                       "^whsec_[A-Za-z0-9+/=]{8,}$")},
                    {"api_version",
                     WithDefault(Text("Stripe-Version sent with every call.", R"(^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$)"),
                                 "2024-06-20")}},
                   {"api_key"}),
            [](const json& config, const std::string& mode, std::vector<FieldError>& errors) {
                CheckKeyMode(config, "api_key", mode, errors);
            }};
}

}  // namespace

StripeProvider::StripeProvider() : Provider(StripeSpec()) {}

std::unique_ptr<ProviderAdapter> StripeProvider::NewAdapter(const ProviderClient& client) const {
    return std::make_unique<StripeGateway>(client);
}

}  // namespace kiln::integrations
