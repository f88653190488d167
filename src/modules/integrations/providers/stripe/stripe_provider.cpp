#include "modules/integrations/providers/stripe/stripe_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/stripe/stripe_gateway.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

TypeSpec StripeSpec() {
    return Spec(
        "stripe", "payments", "Stripe",
        {{"api_key",
          FromEnv(Secret("Secret or restricted key (sk_test_…, rk_live_…).", "^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$"),
                  "STRIPE_API_KEY")},
         {"webhook_secret",
          FromEnv(Secret("Signing secret of the webhook endpoint (whsec_…).", "^whsec_[A-Za-z0-9+/=]{8,}$"),
                  "STRIPE_WEBHOOK_SECRET")},
         {"previous_webhook_secret",
          Secret("The signing secret being rolled out, accepted until removed.", "^whsec_[A-Za-z0-9+/=]{8,}$")},
         {"api_version", WithDefault(Text("Stripe-Version sent with every call.", R"(^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$)"),
                                     "2024-06-20")}},
        {"api_key"}, KeyMatchesMode("api_key"));
}

}  // namespace

StripeProvider::StripeProvider() : Provider(StripeSpec(), MakeAdapter<StripeGateway>) {}

}  // namespace kiln::integrations
