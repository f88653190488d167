#include "modules/integrations/providers/razorpay/razorpay_gateway.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/crypto.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"

namespace kiln::integrations {

namespace {

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

GatewayDialect::Headers Credentials(const ProviderConfig& config) {
    // Razorpay accepts the scheme spelt exactly "Basic" and the unquoted token.
    return {{"Authorization",
             "Basic " + crypto::Base64Encode(config.Required("key_id") + ":" + config.Required("key_secret"))}};
}

/// Razorpay's error has a description and a code.
std::pair<std::string, std::string> ErrorOf(const nlohmann::json& error) {
    return {StringField(error, "description"), StringField(error, "code")};
}

// Only refunds take an idempotency key; with it Razorpay answers a repeat with the first refund, so the POST may be
// retried. Order creates have none and are sent once.
constexpr GatewayDialect kRazorpay = {"https://api.razorpay.com", "X-Refund-Idempotency", Credentials, ErrorOf};

}  // namespace

RazorpayGateway::RazorpayGateway(const ProviderClient& client) : api_(client, kRazorpay) {}

nlohmann::json RazorpayGateway::Post(const std::string& path, const nlohmann::json& body,
                                     const std::string& refund_key) const {
    return api_.Post(path, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     refund_key.empty() ? "" : RefundIdempotencyKey(refund_key));
}

GatewayObject RazorpayGateway::EntityObject(nlohmann::json entity) const {
    return api_.ObjectOf(std::move(entity), "answer");  // Razorpay orders and payments carry no secret
}

void RazorpayGateway::TestConnection() {
    api_.Get("/v1/payments?count=1");
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
    if (LooksLikeId(ref, "order_")) return EntityObject(api_.Get("/v1/orders/" + ref));
    if (LooksLikeId(ref, "pay_")) return EntityObject(api_.Get("/v1/payments/" + ref));
    api_.Reject("'" + ref + "' is not a Razorpay order id (order_…) or payment id (pay_…)");
}

GatewayRefund RazorpayGateway::Refund(const std::string& ref, std::optional<int64_t> amount,
                                      const std::string& idempotency_key) {
    if (!LooksLikeId(ref, "pay_"))
        api_.Reject("'" + ref + "' is not a Razorpay payment id (pay_…); Razorpay refunds payments, not orders");
    api_.CheckRefundAmount(amount);
    nlohmann::json body = nlohmann::json::object();  // no amount: Razorpay refunds everything not yet refunded
    if (amount) body["amount"] = *amount;
    return api_.RefundOf(Post("/v1/payments/" + ref + "/refund", body, idempotency_key), "refund");
}

bool VerifyCheckoutSignature(const ProviderConfig& config, const std::string& order_id, const std::string& payment_id,
                             const std::string& signature) {
    return signatures::VerifyRazorpayPayment(order_id, payment_id, signature, config.Required("key_secret"));
}

}  // namespace kiln::integrations
