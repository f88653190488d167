#include "modules/integrations/gateway_api.hpp"

#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

/// The `error` object of a gateway's failure `{"error":{…}}`; an empty object when the body is not one.
nlohmann::json ErrorObjectOf(const std::string& body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("error") || !parsed.at("error").is_object())
        return nlohmann::json::object();
    return parsed.at("error");
}

}  // namespace

egress::OutboundRequest GatewayApi::NewRequest(const std::string& method, const std::string& path) const {
    const ProviderConfig& config = client_.config();
    egress::OutboundRequest request;
    request.method = method;
    request.url = config.BaseUrl(dialect_.pinned_origin) + path;
    request.headers = dialect_.credentials(config);
    return request;
}

std::function<std::pair<std::string, std::string>(const std::string& body)> GatewayApi::ErrorReader() const {
    return [this](const std::string& body) { return dialect_.error_of(ErrorObjectOf(body)); };
}

nlohmann::json GatewayApi::Get(const std::string& path) const {
    return client_.SendForObject(NewRequest("GET", path), true, ErrorReader());
}

nlohmann::json GatewayApi::Post(const std::string& path, const std::string& content_type, std::string body,
                                const std::string& idempotency_key) const {
    egress::OutboundRequest request = NewRequest("POST", path);
    request.headers.emplace_back("Content-Type", content_type);
    request.body = std::move(body);
    if (!idempotency_key.empty()) request.headers.emplace_back(dialect_.idempotency_header, idempotency_key);
    return client_.SendForObject(std::move(request), !idempotency_key.empty(), ErrorReader());
}

GatewayObject GatewayApi::ObjectOf(nlohmann::json answer, const std::string& what) const {
    GatewayObject object;
    object.ref = StringField(answer, "id");
    if (object.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the " + what + " has no id");
    object.status = StringField(answer, "status");
    object.response = std::move(answer);
    return object;
}

GatewayRefund GatewayApi::RefundOf(nlohmann::json answer, const std::string& what) const {
    GatewayRefund refund;
    refund.ref = StringField(answer, "id");
    if (refund.ref.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the " + what + " has no id");
    refund.status = StringField(answer, "status");
    refund.amount = IntegerField(answer, "amount");
    refund.response = std::move(answer);
    return refund;
}

void GatewayApi::CheckRefundAmount(std::optional<int64_t> amount) const {
    if (amount && *amount <= 0) Reject("a refund amount must be positive");
}

void GatewayApi::Reject(const std::string& message) const {
    client_.Fail(ProviderError::Kind::kRejected, message);
}

}  // namespace kiln::integrations
