#include "modules/integrations/integration_types.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "modules/integrations/signatures/jwt_rs256.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

// Building blocks of the type schemas.
json Text(const std::string& description, const std::string& pattern = "") {
    json field = {{"type", "string"}, {"minLength", 1}, {"maxLength", 4096}, {"description", description}};
    if (!pattern.empty()) field["pattern"] = pattern;
    return field;
}

json Secret(const std::string& description, const std::string& pattern = "") {
    json field = Text(description, pattern);
    field["writeOnly"] = true;
    field["maxLength"] = 16384;  // PEM keys
    return field;
}

json FromEnv(json field, const std::string& variable) {
    field["x-env"] = variable;
    return field;
}

/// A field that says where the integration's secrets go or whose account they act on (a host, a region, an
/// account): changing it requires sending the secrets again, and no platform secret is combined with it.
json Endpoint(json field) {
    field["x-endpoint"] = true;
    return field;
}

json WithDefault(json field, json value) {
    field["default"] = std::move(value);
    return field;
}

const std::string kEmailPattern = R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)";
const std::string kE164Pattern = R"(^\+[1-9][0-9]{1,14}$)";
const std::string kUrlPattern = R"(^https?://[^\s]+$)";
const std::string kAwsRegionPattern = R"(^[a-z]{2}(-[a-z]+)+-[0-9]$)";
const std::string kShopDomainPattern = R"(^[a-z0-9][a-z0-9\-]*\.myshopify\.com$)";

/// Fields every type accepts: how hard Kiln may call the provider. Where the provider is, is not one of them:
/// each type's endpoint is pinned in code (an operator may override it, never a tenant).
void AddCommonFields(json& properties) {
    properties["rate_limit_per_second"] = {{"type", "number"},
                                           {"exclusiveMinimum", 0},
                                           {"maximum", 1000},
                                           {"description", "Calls per second Kiln allows itself to this provider."}};
    properties["timeout_seconds"] = {{"type", "integer"},
                                     {"minimum", 1},
                                     {"maximum", 60},
                                     {"default", 10},
                                     {"description", "Timeout of one call to the provider."}};
}

json Schema(const std::string& title, json properties, const std::vector<std::string>& required) {
    AddCommonFields(properties);
    return {{"$schema", "http://json-schema.org/draft-07/schema#"},
            {"title", title},
            {"type", "object"},
            {"properties", std::move(properties)},
            {"required", required},
            {"additionalProperties", false}};
}

std::string StringField(const json& config, const std::string& field) {
    const auto it = config.find(field);
    return it != config.end() && it->is_string() ? it->get<std::string>() : "";
}

/// Stripe and Razorpay keys say which environment they belong to; it must be the integration's.
void CheckKeyMode(const json& config, const std::string& field, const std::string& mode,
                  std::vector<FieldError>& errors) {
    const std::string key = StringField(config, field);
    if (key.empty()) return;
    if (key.find("_" + mode + "_") == std::string::npos)
        errors.push_back(
            {"config." + field, "is not a " + mode + "-mode key (the integration's mode is " + mode + ")"});
}

void RequireOneOf(const json& config, const std::string& a, const std::string& b, std::vector<FieldError>& errors) {
    if (StringField(config, a).empty() && StringField(config, b).empty())
        errors.push_back({"config." + a, "either " + a + " or " + b + " is required"});
}

std::vector<TypeSpec> BuildTypes() {
    std::vector<TypeSpec> types;
    types.push_back(
        {"stripe", "payments", "Stripe",
         Schema("Stripe",
                {{"api_key", FromEnv(Secret("Secret or restricted key (sk_test_…, rk_live_…).",
                                            "^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$"),
                                     "STRIPE_API_KEY")},
                 {"webhook_secret",
                  FromEnv(Secret("Signing secret of the webhook endpoint (whsec_…).", "^whsec_[A-Za-z0-9+/=]{8,}$"),
                          "STRIPE_WEBHOOK_SECRET")},
                 {"previous_webhook_secret",
                  Secret("The signing secret being rolled out, accepted until removed.", "^whsec_[A-Za-z0-9+/=]{8,}$")},
                 {"api_version",
                  WithDefault(Text("Stripe-Version sent with every call.", R"(^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$)"),
                              "2024-06-20")}},
                {"api_key"}),
         [](const json& config, const std::string& mode, std::vector<FieldError>& errors) {
             CheckKeyMode(config, "api_key", mode, errors);
         }});
    types.push_back(
        {"razorpay", "payments", "Razorpay",
         Schema(
             "Razorpay",
             {{"key_id", Endpoint(FromEnv(Text("Key id (rzp_test_…, rzp_live_…).", "^rzp_(test|live)_[A-Za-z0-9]{6,}$"),
                                          "RAZORPAY_KEY_ID"))},
              {"key_secret", FromEnv(Secret("Key secret."), "RAZORPAY_KEY_SECRET")},
              {"webhook_secret",
               FromEnv(Secret("Secret set on the webhook in the Dashboard."), "RAZORPAY_WEBHOOK_SECRET")},
              {"previous_webhook_secret", Secret("The webhook secret being replaced.")}},
             {"key_id", "key_secret"}),
         [](const json& config, const std::string& mode, std::vector<FieldError>& errors) {
             CheckKeyMode(config, "key_id", mode, errors);
         }});
    types.push_back(
        {"sendgrid", "email", "SendGrid",
         Schema(
             "SendGrid",
             {{"api_key",
               FromEnv(Secret("API key (SG.…).", R"(^SG\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$)"), "SENDGRID_API_KEY")},
              {"from_email", FromEnv(Text("Verified sender address.", kEmailPattern), "SENDGRID_FROM_EMAIL")},
              {"from_name", Text("Sender name.")},
              {"webhook_public_key", FromEnv(Text("Event Webhook verification key (base64 DER).", "^[A-Za-z0-9+/=]+$"),
                                             "SENDGRID_WEBHOOK_PUBLIC_KEY")},
              {"previous_webhook_public_key", Text("The verification key being replaced.", "^[A-Za-z0-9+/=]+$")}},
             {"api_key", "from_email"}),
         nullptr});
    types.push_back(
        {"ses", "email", "Amazon SES",
         Schema(
             "Amazon SES",
             {{"access_key_id",
               FromEnv(Text("Access key id (AKIA…, ASIA…).", "^(AKIA|ASIA)[A-Z0-9]{16}$"), "AWS_ACCESS_KEY_ID")},
              {"secret_access_key",
               FromEnv(Secret("Secret access key.", "^[A-Za-z0-9/+=]{40}$"), "AWS_SECRET_ACCESS_KEY")},
              {"session_token", FromEnv(Secret("Session token of temporary credentials."), "AWS_SESSION_TOKEN")},
              {"region", Endpoint(FromEnv(WithDefault(Text("Region of the SES endpoint (email.<region>.amazonaws.com).",
                                                           kAwsRegionPattern),
                                                      "us-east-1"),
                                          "AWS_REGION"))},
              {"from_email", FromEnv(Text("Verified sender address.", kEmailPattern), "SES_FROM_EMAIL")},
              {"from_name", Text("Sender name.")},
              {"configuration_set_name", Text("Configuration set for event publishing.")}},
             {"access_key_id", "secret_access_key", "region", "from_email"}),
         nullptr});
    types.push_back(
        {"twilio", "sms", "Twilio",
         Schema(
             "Twilio",
             {{"account_sid", Endpoint(FromEnv(Text("Account SID (AC…).", "^AC[0-9a-f]{32}$"), "TWILIO_ACCOUNT_SID"))},
              {"auth_token", FromEnv(Secret("Auth token; also signs Twilio's status callbacks.", "^[0-9a-f]{32}$"),
                                     "TWILIO_AUTH_TOKEN")},
              {"previous_auth_token",
               Secret("The auth token being rotated out; still verifies callbacks.", "^[0-9a-f]{32}$")},
              {"from_number", FromEnv(Text("Sender number in E.164.", kE164Pattern), "TWILIO_FROM_NUMBER")},
              {"messaging_service_sid",
               FromEnv(Text("Messaging Service SID (MG…).", "^MG[0-9a-f]{32}$"), "TWILIO_MESSAGING_SERVICE_SID")},
              {"status_callback_url",
               Text("Public URL of this integration's hook (…/hooks/<id>) for delivery status callbacks.",
                    kUrlPattern)}},
             {"account_sid", "auth_token"}),
         [](const json& config, const std::string&, std::vector<FieldError>& errors) {
             RequireOneOf(config, "from_number", "messaging_service_sid", errors);
         }});
    types.push_back(
        {"shopify", "commerce", "Shopify",
         Schema(
             "Shopify",
             {{"shop_domain",
               Endpoint(FromEnv(Text("The shop's myshopify.com domain.", kShopDomainPattern), "SHOPIFY_SHOP_DOMAIN"))},
              {"access_token", FromEnv(Secret("Admin API access token."), "SHOPIFY_ACCESS_TOKEN")},
              {"api_version",
               FromEnv(WithDefault(Text("Admin API version.", R"(^(\d{4}-(01|04|07|10)|unstable)$)"), "2025-01"),
                       "SHOPIFY_API_VERSION")},
              {"webhook_secret", FromEnv(Secret("App client secret that signs webhooks."), "SHOPIFY_WEBHOOK_SECRET")},
              {"previous_webhook_secret", Secret("The client secret being rotated out.")},
              {"currency", WithDefault(Text("The shop's currency (ISO 4217).", "^[A-Z]{3}$"), "USD")}},
             {"shop_domain", "access_token"}),
         nullptr});
    types.push_back(
        {"docusign", "signatures", "DocuSign",
         Schema("DocuSign",
                {{"integration_key", FromEnv(Text("Integration key (client id)."), "DOCUSIGN_INTEGRATION_KEY")},
                 {"user_id", FromEnv(Text("GUID of the user the JWT grant impersonates."), "DOCUSIGN_USER_ID")},
                 {"account_id", Endpoint(FromEnv(Text("API account id; its base URI comes from DocuSign's userinfo."),
                                                 "DOCUSIGN_ACCOUNT_ID"))},
                 {"private_key", FromEnv(Secret("RSA private key (PEM) of the integration key, for the JWT grant."),
                                         "DOCUSIGN_PRIVATE_KEY")},
                 {"access_token",
                  FromEnv(Secret("A provided OAuth access token, instead of the JWT grant."), "DOCUSIGN_ACCESS_TOKEN")},
                 {"connect_secret", FromEnv(Secret("Connect HMAC key."), "DOCUSIGN_CONNECT_SECRET")},
                 {"previous_connect_secret", Secret("The Connect HMAC key being replaced.")}},
                {"account_id"}),
         [](const json& config, const std::string&, std::vector<FieldError>& errors) {
             const std::string key = StringField(config, "private_key");
             if (!key.empty() && !signatures::IsRsaPrivateKeyPem(key))
                 errors.push_back({"config.private_key", "is not an RSA private key in PEM"});
             if (StringField(config, "access_token").empty()) {
                 if (key.empty())
                     errors.push_back({"config.private_key", "either private_key or access_token is required"});
                 for (const char* field : {"integration_key", "user_id"})
                     if (!key.empty() && StringField(config, field).empty())
                         errors.push_back({std::string("config.") + field, "is required for the JWT grant"});
             }
         }});
    types.push_back(
        {"custom", "http", "Custom HTTP",
         Schema("Custom HTTP",
                {{"base_url",
                  Endpoint(Text("The service's origin (and path prefix): the tenant's own host.", kUrlPattern))},
                 {"auth_header_name",
                  WithDefault(Text("Header that carries the credential.", "^[A-Za-z0-9-]+$"), "Authorization")},
                 {"auth_header_value", Secret("The credential, e.g. \"Bearer …\".", R"(^[^\r\n]+$)")},
                 {"allowed_paths",
                  {{"type", "array"},
                   {"minItems", 1},
                   {"maxItems", 50},
                   {"items", Text("A path prefix calls may use, e.g. /v1/orders.", "^/[^\\s?#]*$")},
                   {"description", "Path prefixes workflows may call; anything else is refused."}}}},
                {"base_url", "allowed_paths"}),
         nullptr});
    return types;
}

std::string FieldOf(const std::vector<std::string>& context) {
    // valijson names a property "[name]" below the root "<root>".
    if (context.size() < 2) return "config";
    std::string name = context[1];
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    return "config." + name;
}

/// Types, patterns and ranges of the fields that are there; valijson reports them per property.
/// Each type's schema parsed once, without `required` and `additionalProperties` (reported by
/// ValidateConfig itself, against the effective configuration and with clearer messages).
const valijson::Schema& PropertySchema(const TypeSpec& spec) {
    static const auto parsed = [] {
        std::map<std::string, std::unique_ptr<valijson::Schema>> schemas;
        for (const auto& type : IntegrationTypes()) {
            json properties_only = type.schema;
            properties_only.erase("required");
            properties_only.erase("additionalProperties");
            auto schema = std::make_unique<valijson::Schema>();
            const valijson::adapters::NlohmannJsonAdapter document(properties_only);
            valijson::SchemaParser().populateSchema(document, *schema);
            schemas.emplace(type.type, std::move(schema));
        }
        return schemas;
    }();
    return *parsed.at(spec.type);
}

void CheckAgainstSchema(const TypeSpec& spec, const json& stored, std::vector<FieldError>& errors) {
    const valijson::Schema& schema = PropertySchema(spec);
    valijson::Validator validator;
    valijson::ValidationResults results;
    const valijson::adapters::NlohmannJsonAdapter target(stored);
    if (validator.validate(schema, target, &results)) return;
    std::set<std::string> reported;
    for (const auto& error : results) {
        const std::string field = FieldOf(error.context);
        // A property's failure is reported twice: the specific reason first, then a summary.
        if (field == "config" || !reported.insert(field).second) continue;
        errors.push_back({field, error.description});
    }
}

}  // namespace

PlatformDefaults::PlatformDefaults(const Lookup& lookup) {
    for (const auto& spec : IntegrationTypes())
        for (const auto& [field, property] : spec.schema["properties"].items())
            if (const auto variable = spec.EnvVariable(field))
                if (auto value = lookup(*variable)) values_[*variable] = std::move(*value);
}

std::optional<std::string> PlatformDefaults::Get(const std::string& variable) const {
    const auto it = values_.find(variable);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

bool TypeSpec::IsSecret(const std::string& field) const {
    const auto& properties = schema["properties"];
    const auto it = properties.find(field);
    return it != properties.end() && it->value("writeOnly", false);
}

std::vector<std::string> TypeSpec::SecretFields() const {
    std::vector<std::string> fields;
    for (const auto& [field, property] : schema["properties"].items())
        if (property.value("writeOnly", false)) fields.push_back(field);
    return fields;
}

std::optional<std::string> TypeSpec::EnvVariable(const std::string& field) const {
    const auto& properties = schema["properties"];
    const auto it = properties.find(field);
    if (it == properties.end() || !it->contains("x-env")) return std::nullopt;
    return (*it)["x-env"].get<std::string>();
}

bool TypeSpec::IsEndpoint(const std::string& field) const {
    const auto& properties = schema["properties"];
    const auto it = properties.find(field);
    return it != properties.end() && it->value("x-endpoint", false);
}

std::vector<std::string> TypeSpec::EndpointFields() const {
    std::vector<std::string> fields;
    for (const auto& [field, property] : schema["properties"].items())
        if (property.value("x-endpoint", false)) fields.push_back(field);
    return fields;
}

nlohmann::json TypeSpec::ToJson() const {
    return {{"type", type},
            {"capability", capability},
            {"title", title},
            {"secret_fields", SecretFields()},
            {"endpoint_fields", EndpointFields()},
            {"config_schema", schema}};
}

const std::vector<TypeSpec>& IntegrationTypes() {
    static const std::vector<TypeSpec> types = BuildTypes();
    return types;
}

const TypeSpec& TypeOf(const std::string& type) {
    for (const auto& spec : IntegrationTypes())
        if (spec.type == type) return spec;
    std::string known;
    for (const auto& spec : IntegrationTypes()) known += (known.empty() ? "" : ", ") + spec.type;
    throw ValidationError("type", "is not an integration type; one of: " + known);
}

namespace {

bool IsSet(const json& config, const std::string& field) {
    const auto it = config.find(field);
    return it != config.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty());
}

}  // namespace

bool MayUsePlatformValue(const TypeSpec& spec, const nlohmann::json& stored, const std::string& field,
                         bool use_platform_credentials) {
    if (!use_platform_credentials || !spec.EnvVariable(field)) return false;
    if (!spec.IsSecret(field)) return true;
    // A platform secret goes only where the platform's own endpoint fields (or the pinned host) send it.
    const auto endpoints = spec.EndpointFields();
    return std::none_of(endpoints.begin(), endpoints.end(),
                        [&stored](const std::string& endpoint) { return IsSet(stored, endpoint); });
}

nlohmann::json EffectiveConfig(const TypeSpec& spec, const nlohmann::json& stored, const PlatformDefaults& defaults,
                               bool use_platform_credentials) {
    const json tenant = stored.is_object() ? stored : json::object();
    json effective = tenant;
    for (const auto& [field, property] : spec.schema["properties"].items()) {
        if (IsSet(effective, field)) continue;
        if (MayUsePlatformValue(spec, tenant, field, use_platform_credentials)) {
            if (auto value = defaults.Get(*spec.EnvVariable(field))) {
                effective[field] = *value;
                continue;
            }
        }
        if (property.contains("default")) effective[field] = property["default"];
    }
    return effective;
}

std::vector<std::string> PlatformFilledFields(const TypeSpec& spec, const nlohmann::json& stored,
                                              const PlatformDefaults& defaults, bool use_platform_credentials) {
    std::vector<std::string> fields;
    const json tenant = stored.is_object() ? stored : json::object();
    for (const auto& [field, property] : spec.schema["properties"].items())
        if (!IsSet(tenant, field) && MayUsePlatformValue(spec, tenant, field, use_platform_credentials) &&
            defaults.Get(*spec.EnvVariable(field)))
            fields.push_back(field);
    return fields;
}

bool IsShopifyShopDomain(const std::string& domain) {
    static const std::regex pattern(kShopDomainPattern);
    return std::regex_match(domain, pattern);
}

bool IsAwsRegion(const std::string& region) {
    static const std::regex pattern(kAwsRegionPattern);
    return std::regex_match(region, pattern);
}

void ValidateConfig(const TypeSpec& spec, const nlohmann::json& stored, const nlohmann::json& effective,
                    const std::string& mode, bool use_platform_credentials) {
    std::vector<FieldError> errors;
    if (!stored.is_object()) throw ValidationError("config", "must be an object");
    const auto& properties = spec.schema["properties"];
    for (const auto& [field, value] : stored.items())
        if (!properties.contains(field)) errors.push_back({"config." + field, "is not a field of " + spec.type});
    CheckAgainstSchema(spec, stored, errors);
    if (errors.empty()) {
        for (const auto& field : spec.schema["required"]) {
            const auto it = effective.find(field.get<std::string>());
            if (it == effective.end() || (it->is_string() && it->get<std::string>().empty())) {
                std::string message = "is required";
                if (const auto variable = spec.EnvVariable(field); variable && use_platform_credentials)
                    message += " (or set " + *variable + " on the platform)";
                errors.push_back({"config." + field.get<std::string>(), message});
            }
        }
        if (spec.check) spec.check(effective, mode, errors);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors), "The integration's configuration is invalid.");
}

}  // namespace kiln::integrations
