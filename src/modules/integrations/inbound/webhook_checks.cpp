#include "modules/integrations/inbound/webhook_checks.hpp"

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace kiln::integrations {

std::vector<std::string> WebhookSecrets(const ProviderConfig& config, const std::string& field) {
    std::vector<std::string> secrets;
    for (const auto& name : {field, "previous_" + field})
        if (auto value = config.Get(name); !value.empty()) secrets.push_back(std::move(value));
    if (secrets.empty())
        throw Unauthorized("The integration has no " + field + " configured, so its webhooks cannot be verified.");
    return secrets;
}

void RequireVerified(signatures::VerifyResult result, const std::string& provider) {
    if (result == signatures::VerifyResult::kValid) return;
    throw Unauthorized("The " + provider + " webhook signature does not verify (" +
                       signatures::VerifyResultName(result) + ").");
}

std::string HeaderOr(const http::Request& request, std::string_view name, std::string fallback) {
    return request.Header(name).value_or(std::move(fallback));
}

nlohmann::json ParseWebhookBody(const std::string& body) {
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) throw BadRequest("The webhook body is not JSON.");
    return parsed;
}

std::string BodyHash(const std::string& body) {
    return "sha256:" + crypto::Sha256Hex(body);
}

}  // namespace kiln::integrations
