#include "modules/integrations/providers/razorpay/razorpay_provider.hpp"

#include "core/error.hpp"
#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/razorpay/razorpay_checkout_routes.hpp"
#include "modules/integrations/providers/razorpay/razorpay_gateway.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using namespace config_schema;

TypeSpec RazorpaySpec() {
    return Spec(
        "razorpay", "payments", "Razorpay",
        {{"key_id", Endpoint(FromEnv(Text("Key id (rzp_test_…, rzp_live_…).", "^rzp_(test|live)_[A-Za-z0-9]{6,}$"),
                                     "RAZORPAY_KEY_ID"))},
         {"key_secret", FromEnv(Secret("Key secret."), "RAZORPAY_KEY_SECRET")},
         {"webhook_secret", FromEnv(Secret("Secret set on the webhook in the Dashboard."), "RAZORPAY_WEBHOOK_SECRET")},
         {"previous_webhook_secret", Secret("The webhook secret being replaced.")}},
        {"key_id", "key_secret"}, KeyMatchesMode("key_id"));
}

}  // namespace

RazorpayProvider::RazorpayProvider() : Provider(RazorpaySpec(), MakeAdapter<RazorpayGateway>) {}

json RazorpayProvider::CheckoutFields(const ProviderConfig& config) const {
    return {{"key_id", config.Get("key_id")}};
}

std::string RazorpayProvider::RefundReference(const std::string& /*gateway_ref*/, const json& gateway_response) const {
    if (!gateway_response.contains("razorpay_payment_id"))
        throw Conflict("The Razorpay payment id of this payment is not known yet; refund it in the Dashboard.");
    return gateway_response["razorpay_payment_id"].get<std::string>();
}

void RazorpayProvider::RegisterRoutes(http::RouteTable& routes, const IntegrationService& service) const {
    RegisterRazorpayCheckoutRoutes(routes, service);
}

}  // namespace kiln::integrations
