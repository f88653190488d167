#include "modules/integrations/providers/stripe/stripe_gateway.hpp"

#include <algorithm>

#include "core/form_encoding.hpp"
#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

// The version Kiln is written against; the integration's api_version (validated at save time) overrides it.
constexpr const char* kDefaultApiVersion = "2024-06-20";

std::string LowerAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return text;
}

GatewayDialect::Headers Credentials(const ProviderConfig& config) {
    return {{"Authorization", "Bearer " + config.Required("api_key")},
            {"Stripe-Version", config.Get("api_version", kDefaultApiVersion)}};
}

/// Stripe's error has a message and a code; `code` is absent for some types (api_error), then the type names the
/// failure.
std::pair<std::string, std::string> ErrorOf(const nlohmann::json& error) {
    std::string code = StringField(error, "code");
    if (code.empty()) code = StringField(error, "type");
    return {StringField(error, "message"), code};
}

// Stripe replays the first result for an Idempotency-Key it has seen, so a keyed POST may be repeated after a timeout
// or a 5xx without doing the work twice.
constexpr GatewayDialect kStripe = {"https://api.stripe.com", "Idempotency-Key", Credentials, ErrorOf};

}  // namespace

StripeGateway::StripeGateway(const ProviderClient& client) : api_(client, kStripe) {}

nlohmann::json StripeGateway::Post(const std::string& path, const FormFields& fields,
                                   const std::string& idempotency_key) const {
    return api_.Post(path, "application/x-www-form-urlencoded", FormUrlEncode(fields), idempotency_key);
}

GatewayObject StripeGateway::IntentObject(nlohmann::json intent) const {
    // The client secret lets a browser confirm the payment: it goes to the payer, never into what Kiln stores.
    std::optional<std::string> client_secret;
    if (const auto secret = intent.find("client_secret"); secret != intent.end()) {
        if (secret->is_string()) client_secret = secret->get<std::string>();
        intent.erase(secret);
    }
    GatewayObject object = api_.ObjectOf(std::move(intent), "PaymentIntent");
    object.client_secret = std::move(client_secret);
    return object;
}

void StripeGateway::CheckIntentId(const std::string& ref) const {
    if (!LooksLikeId(ref, "pi_")) api_.Reject("'" + ref + "' is not a Stripe PaymentIntent id (pi_…)");
}

void StripeGateway::TestConnection() {
    api_.Get("/v1/balance");
}

GatewayObject StripeGateway::CreateIntent(const PaymentIntentRequest& request) {
    FormFields fields = {{"amount", std::to_string(request.amount)}, {"currency", LowerAscii(request.currency)}};
    if (!request.description.empty()) fields.emplace_back("description", request.description);
    if (!request.customer_email.empty()) fields.emplace_back("receipt_email", request.customer_email);
    fields.emplace_back("metadata[kiln_payment_id]", request.payment_id);
    if (!request.invoice_number.empty()) fields.emplace_back("metadata[invoice_number]", request.invoice_number);
    fields.emplace_back("automatic_payment_methods[enabled]", "true");
    return IntentObject(Post("/v1/payment_intents", fields, request.idempotency_key));
}

GatewayObject StripeGateway::Retrieve(const std::string& ref) {
    CheckIntentId(ref);
    return IntentObject(api_.Get("/v1/payment_intents/" + ref));
}

GatewayRefund StripeGateway::Refund(const std::string& ref, std::optional<int64_t> amount,
                                    const std::string& idempotency_key) {
    CheckIntentId(ref);
    api_.CheckRefundAmount(amount);
    FormFields fields = {{"payment_intent", ref}};
    if (amount) fields.emplace_back("amount", std::to_string(*amount));
    return api_.RefundOf(Post("/v1/refunds", fields, idempotency_key), "Refund");
}

}  // namespace kiln::integrations
