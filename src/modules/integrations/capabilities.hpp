#pragma once

// What Kiln asks of providers, by capability (DESIGN §6). One adapter per provider implements one
// of these against the provider's public HTTP API; every call goes through a ProviderClient.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kiln::integrations {

/// Every adapter can prove its credentials with a cheap authenticated call.
class ProviderAdapter {
  public:
    virtual ~ProviderAdapter() = default;
    /// Throws ProviderError when the provider refuses the credentials or cannot be reached.
    virtual void TestConnection() = 0;
};

// ---- payments ---------------------------------------------------------------------------------

struct PaymentIntentRequest {
    std::string payment_id;  // Kiln's payment: metadata on the gateway object
    std::string invoice_number;
    int64_t amount = 0;    // minor units
    std::string currency;  // ISO 4217, upper case
    std::string description;
    std::string customer_email;
    std::string idempotency_key;  // derived from the payment, stable across retries
};

/// The gateway's object for a payment (Stripe PaymentIntent, Razorpay order).
struct GatewayObject {
    std::string ref;                           // pi_…, order_…
    std::string status;                        // the gateway's own status word
    nlohmann::json response;                   // the gateway's answer, without client secrets
    std::optional<std::string> client_secret;  // for the payer's browser only; never stored
};

struct GatewayRefund {
    std::string ref;  // re_…, rfnd_…
    std::string status;
    int64_t amount = 0;
    nlohmann::json response;
};

class PaymentGateway : public ProviderAdapter {
  public:
    virtual GatewayObject CreateIntent(const PaymentIntentRequest& request) = 0;
    virtual GatewayObject Retrieve(const std::string& ref) = 0;
    /// `amount` absent = everything not yet refunded.
    virtual GatewayRefund Refund(const std::string& ref, std::optional<int64_t> amount,
                                 const std::string& idempotency_key) = 0;
};

// ---- email and SMS ----------------------------------------------------------------------------

struct EmailAddress {
    std::string email;
    std::string name;
};

struct EmailAttachment {
    std::string filename;
    std::string content_type = "application/octet-stream";
    std::string content;  // raw bytes
};

struct EmailMessage {
    std::optional<EmailAddress> from;  // absent = the integration's from_email / from_name
    std::vector<EmailAddress> to;
    std::vector<EmailAddress> cc;
    std::vector<EmailAddress> bcc;
    std::optional<EmailAddress> reply_to;
    std::string subject;
    std::string text;
    std::string html;
    std::vector<EmailAttachment> attachments;
    std::string template_id;  // provider template (SendGrid d-…, SES template name)
    nlohmann::json template_data = nlohmann::json::object();
    std::map<std::string, std::string> tags;  // custom_args / EmailTags: e.g. {"kiln_message_id": …}
};

struct SentMessage {
    std::string provider_message_id;
    std::string status;  // queued, accepted, sent, …
};

class EmailProvider : public ProviderAdapter {
  public:
    virtual SentMessage Send(const EmailMessage& message) = 0;
};

struct SmsMessage {
    std::string to;  // E.164
    std::string body;
    std::string status_callback;  // absent = the integration's status_callback_url
};

class SmsProvider : public ProviderAdapter {
  public:
    virtual SentMessage Send(const SmsMessage& message) = 0;
    /// The provider's current status word of a message.
    virtual std::string Status(const std::string& provider_message_id) = 0;
};

// ---- commerce ---------------------------------------------------------------------------------

struct CommerceVariant {
    std::string external_id;  // gid://shopify/ProductVariant/…
    std::string sku;
    std::string title;
    int64_t price = 0;  // minor units
};

struct CommerceProduct {
    std::string external_id;  // gid://shopify/Product/…
    std::string title;
    std::string description;
    std::string status;
    std::string updated_at;  // ISO 8601, as the store says
    std::vector<CommerceVariant> variants;
};

struct CommerceOrderLine {
    std::string sku;
    std::string title;
    int64_t quantity = 0;
    int64_t unit_price = 0;  // minor units
    std::string product_external_id;
    std::string variant_external_id;
};

struct CommerceOrder {
    std::string external_id;
    std::string name;  // "#1001"
    std::string currency;
    std::string updated_at;
    std::string financial_status;
    std::string customer_external_id;
    std::string customer_email;
    std::string customer_name;
    std::vector<CommerceOrderLine> lines;
};

template <typename Item>
struct CommercePage {
    std::vector<Item> items;
    std::optional<std::string> next_cursor;  // absent on the last page
};

class CommerceSource : public ProviderAdapter {
  public:
    /// Products updated at or after `updated_since` (ISO 8601; empty = all), oldest first.
    virtual CommercePage<CommerceProduct> Products(const std::optional<std::string>& cursor,
                                                   const std::string& updated_since) = 0;
    virtual CommercePage<CommerceOrder> Orders(const std::optional<std::string>& cursor,
                                               const std::string& updated_since) = 0;
};

// ---- signatures -------------------------------------------------------------------------------

struct SignatureDocument {
    std::string name;     // "SO-1001.pdf"
    std::string content;  // raw bytes
};

struct Signer {
    std::string email;
    std::string name;
    int routing_order = 1;
};

struct EnvelopeRequest {
    std::string subject;
    std::string message;
    std::vector<SignatureDocument> documents;
    std::vector<Signer> signers;
};

struct EnvelopeStatus {
    std::string envelope_id;
    std::string status;  // sent, delivered, completed, declined, voided, …
};

class SignatureProvider : public ProviderAdapter {
  public:
    virtual EnvelopeStatus Send(const EnvelopeRequest& request) = 0;
    virtual EnvelopeStatus Status(const std::string& envelope_id) = 0;
};

// ---- custom HTTP ------------------------------------------------------------------------------

struct HttpCall {
    std::string method = "GET";
    std::string path;     // must start with one of the integration's allowed paths
    nlohmann::json body;  // sent as JSON unless null
};

struct HttpCallResult {
    int status = 0;
    std::string body;  // truncated to a few KB
};

class HttpEndpoint : public ProviderAdapter {
  public:
    virtual HttpCallResult Call(const HttpCall& call) = 0;
};

}  // namespace kiln::integrations
