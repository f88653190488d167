#include "modules/integrations/providers/razorpay/razorpay_gateway.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/crypto.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"

namespace kiln::integrations {

namespace {

constexpr const char* kDefaultOrigin = "https://api.razorpay.com";
constexpr size_t kReceiptLimit = 40;            // Razorpay's limit on an order's receipt
constexpr size_t kRefundKeyMinimum = 10;        // X-Refund-Idempotency: at least 10 of [A-Za-z0-9_-]
constexpr size_t kDerivedRefundKeyLength = 32;  // hex digits of SHA-256 kept: 128 bits

bool IsAlnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string UpperAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    return text;
}

/// `prefix` followed by at least one of [A-Za-z0-9_]: nothing that could change the URL's path or query.

/// At most `limit` bytes, cut before a UTF-8 continuation byte so that the JSON stays valid text.
std::string Truncate(const std::string& text, size_t limit) {
    if (text.size() <= limit) return text;
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
    return text.substr(0, cut);
}

/// The key as Razorpay accepts it; any other key maps to a prefix of its SHA-256, so every retry of one refund
/// still sends the same header.
std::string RefundIdempotencyKey(const std::string& key) {
    const bool compliant = key.size() >= kRefundKeyMinimum && std::all_of(key.begin(), key.end(), [](char c) {
                               return IsAlnum(c) || c == '_' || c == '-';
                           });
    return compliant ? key : crypto::Sha256Hex(key).substr(0, kDerivedRefundKeyLength);
}

/// The description and code of Razorpay's `{"error":{"code","description",…}}`, empty when the body is not one.
std::pair<std::string, std::string> ErrorOf(const std::string& body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("error") || !parsed.at("error").is_object()) return {};
    const auto& error = parsed.at("error");
    return {StringField(error, "description"), StringField(error, "code")};
}

}  // namespace

egress::OutboundRequest RazorpayGateway::NewRequest(const std::string& method, const std::string& path) const {
    const ProviderConfig& config = client_.config();
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(kDefaultOrigin) + path;
    // Razorpay accepts the scheme spelt exactly "Basic" and the unquoted token.
    request.headers = {{"Authorization", "Basic " + crypto::Base64Encode(config.Required("key_id") + ":" +
                                                                         config.Required("key_secret"))}};
    return request;
}

nlohmann::json RazorpayGateway::Get(const std::string& path) const {
    return client_.SendForObject(NewRequest("GET", path), true, ErrorOf);
}

nlohmann::json RazorpayGateway::Post(const std::string& path, const nlohmann::json& body,
                                     const std::string& refund_key) const {
    egress::OutboundRequest request = NewRequest("POST", path);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // Only refunds take an idempotency key; with it Razorpay answers a repeat with the first refund, so the POST
    // may be retried. Order creates have none and are sent once.
    if (!refund_key.empty()) request.headers.emplace_back("X-Refund-Idempotency", RefundIdempotencyKey(refund_key));
    return client_.SendForObject(std::move(request), !refund_key.empty(), ErrorOf);
}

GatewayObject RazorpayGateway::EntityObject(nlohmann::json entity) const {
    GatewayObject object;
    object.ref = StringField(entity, "id");
    if (object.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the answer has no id");
    object.status = StringField(entity, "status");
    object.response = std::move(entity);  // Razorpay orders and payments carry no secret
    return object;
}

void RazorpayGateway::TestConnection() {
    Get("/v1/payments?count=1");
}

GatewayObject RazorpayGateway::CreateIntent(const PaymentIntentRequest& request) {
    // The receipt is the merchant's reference shown in the Dashboard and reports.
    const std::string& reference = request.invoice_number.empty() ? request.payment_id : request.invoice_number;
    nlohmann::json notes = {{"kiln_payment_id", request.payment_id}};
    if (!request.invoice_number.empty()) notes["invoice_number"] = request.invoice_number;
    const nlohmann::json body = {{"amount", request.amount},
                                 {"currency", UpperAscii(request.currency)},
                                 {"receipt", Truncate(reference, kReceiptLimit)},
                                 {"notes", notes},
                                 {"partial_payment", false}};
    return EntityObject(Post("/v1/orders", body, ""));
}

GatewayObject RazorpayGateway::Retrieve(const std::string& ref) {
    if (LooksLikeId(ref, "order_")) return EntityObject(Get("/v1/orders/" + ref));
    if (LooksLikeId(ref, "pay_")) return EntityObject(Get("/v1/payments/" + ref));
    client_.Fail(ProviderError::Kind::kRejected,
                 "'" + ref + "' is not a Razorpay order id (order_…) or payment id (pay_…)");
}

GatewayRefund RazorpayGateway::Refund(const std::string& ref, std::optional<int64_t> amount,
                                      const std::string& idempotency_key) {
    if (!LooksLikeId(ref, "pay_"))
        client_.Fail(ProviderError::Kind::kRejected,
                     "'" + ref + "' is not a Razorpay payment id (pay_…); Razorpay refunds payments, not orders");
    if (amount && *amount <= 0) client_.Fail(ProviderError::Kind::kRejected, "a refund amount must be positive");
    nlohmann::json body = nlohmann::json::object();  // no amount: Razorpay refunds everything not yet refunded
    if (amount) body["amount"] = *amount;
    nlohmann::json refund = Post("/v1/payments/" + ref + "/refund", body, idempotency_key);
    GatewayRefund result;
    result.ref = StringField(refund, "id");
    if (result.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the refund has no id");
    result.status = StringField(refund, "status");
    result.amount = IntegerField(refund, "amount");
    result.response = std::move(refund);
    return result;
}

bool VerifyCheckoutSignature(const ProviderConfig& config, const std::string& order_id, const std::string& payment_id,
                             const std::string& signature) {
    return signatures::VerifyRazorpayPayment(order_id, payment_id, signature, config.Required("key_secret"));
}

}  // namespace kiln::integrations
