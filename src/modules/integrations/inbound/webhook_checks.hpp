#pragma once

// What every provider's webhook verification does the same way: the secrets it accepts, the refusal of a
// signature that does not verify, the body as JSON, and the dedupe key of a body-only signature.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "modules/integrations/crypto/verify_result.hpp"
#include "modules/integrations/provider_config.hpp"

namespace kiln::integrations {

/// The secrets a webhook may be signed with: the configured `field` and `previous_<field>` (the one being rotated
/// out). Unauthorized when neither is configured.
std::vector<std::string> WebhookSecrets(const ProviderConfig& config, const std::string& field);
/// Unauthorized naming the provider and the reason, unless `result` is valid.
void RequireVerified(signatures::VerifyResult result, const std::string& provider);
std::string HeaderOr(const http::Request& request, std::string_view name, std::string fallback = "");
/// The verified body as JSON; BadRequest when it is not.
nlohmann::json ParseWebhookBody(const std::string& body);
/// The dedupe key of a provider whose signature covers only the body: the hash of the exact signed bytes. Never a
/// header (x-razorpay-event-id, x-shopify-webhook-id, i-twilio-idempotency-token): no signature covers those, so
/// anyone replaying a captured delivery could change them and have the same signed body applied again (issue 12,
/// item 10). A provider's redelivery sends the same bytes.
std::string BodyHash(const std::string& body);

}  // namespace kiln::integrations
