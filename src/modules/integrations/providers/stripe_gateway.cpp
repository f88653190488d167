#include "modules/integrations/providers/stripe_gateway.hpp"

#include <algorithm>
#include <string_view>

#include "core/form_encoding.hpp"
#include "modules/integrations/providers/provider_json.hpp"

namespace kiln::integrations {

namespace {

constexpr const char* kDefaultOrigin = "https://api.stripe.com";
// The version Kiln is written against; the integration's api_version (validated at save time) overrides it.
constexpr const char* kDefaultApiVersion = "2024-06-20";

std::string LowerAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return text;
}

/// `prefix` followed by at least one of [A-Za-z0-9_]: nothing that could change the URL's path or query.

/// The message and code of Stripe's `{"error":{"type","code","message",…}}`, empty when the body is not one. `code`
/// is absent for some types (api_error); then the type names the failure.
std::pair<std::string, std::string> ErrorOf(const std::string& body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("error") || !parsed.at("error").is_object()) return {};
    const auto& error = parsed.at("error");
    std::string code = StringField(error, "code");
    if (code.empty()) code = StringField(error, "type");
    return {StringField(error, "message"), code};
}

}  // namespace

egress::OutboundRequest StripeGateway::NewRequest(const std::string& method, const std::string& path) const {
    const ProviderConfig& config = client_.config();
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(kDefaultOrigin) + path;
    request.headers = {{"Authorization", "Bearer " + config.Required("api_key")},
                       {"Stripe-Version", config.Get("api_version", kDefaultApiVersion)}};
    return request;
}

nlohmann::json StripeGateway::Get(const std::string& path) const {
    return client_.SendForObject(NewRequest("GET", path), true, ErrorOf);
}

nlohmann::json StripeGateway::Post(const std::string& path, const FormFields& fields,
                                   const std::string& idempotency_key) const {
    egress::OutboundRequest request = NewRequest("POST", path);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = FormUrlEncode(fields);
    // Stripe replays the first result for a key it has seen, so a keyed POST may be repeated after a timeout or a
    // 5xx without doing the work twice; an unkeyed one may not.
    if (!idempotency_key.empty()) request.headers.emplace_back("Idempotency-Key", idempotency_key);
    return client_.SendForObject(std::move(request), !idempotency_key.empty(), ErrorOf);
}

GatewayObject StripeGateway::IntentObject(nlohmann::json intent) const {
    GatewayObject object;
    object.ref = StringField(intent, "id");
    if (object.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the PaymentIntent has no id");
    object.status = StringField(intent, "status");
    // The client secret lets a browser confirm the payment: it goes to the payer, never into what Kiln stores.
    if (const auto secret = intent.find("client_secret"); secret != intent.end()) {
        if (secret->is_string()) object.client_secret = secret->get<std::string>();
        intent.erase(secret);
    }
    object.response = std::move(intent);
    return object;
}

void StripeGateway::CheckIntentId(const std::string& ref) const {
    if (!LooksLikeId(ref, "pi_"))
        client_.Fail(ProviderError::Kind::kRejected, "'" + ref + "' is not a Stripe PaymentIntent id (pi_…)");
}

void StripeGateway::TestConnection() {
    Get("/v1/balance");
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
    return IntentObject(Get("/v1/payment_intents/" + ref));
}

GatewayRefund StripeGateway::Refund(const std::string& ref, std::optional<int64_t> amount,
                                    const std::string& idempotency_key) {
    CheckIntentId(ref);
    if (amount && *amount <= 0) client_.Fail(ProviderError::Kind::kRejected, "a refund amount must be positive");
    FormFields fields = {{"payment_intent", ref}};
    if (amount) fields.emplace_back("amount", std::to_string(*amount));
    nlohmann::json refund = Post("/v1/refunds", fields, idempotency_key);
    GatewayRefund result;
    result.ref = StringField(refund, "id");
    if (result.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the Refund has no id");
    result.status = StringField(refund, "status");
    result.amount = IntegerField(refund, "amount");
    result.response = std::move(refund);
    return result;
}

}  // namespace kiln::integrations
