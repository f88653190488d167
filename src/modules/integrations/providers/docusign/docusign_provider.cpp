#include "modules/integrations/providers/docusign/docusign_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/crypto/jwt_rs256.hpp"
#include "modules/integrations/providers/docusign/docusign_envelopes.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using namespace config_schema;

/// The JWT grant needs a usable RSA key with its integration key and user; a provided access token replaces all
/// three.
void CheckCredentials(const json& config, const std::string& /*mode*/, std::vector<FieldError>& errors) {
    const std::string key = StringField(config, "private_key");
    if (!key.empty() && !signatures::IsRsaPrivateKeyPem(key))
        errors.push_back({"config.private_key", "is not an RSA private key in PEM"});
    if (StringField(config, "access_token").empty()) {
        if (key.empty()) errors.push_back({"config.private_key", "either private_key or access_token is required"});
        for (const char* field : {"integration_key", "user_id"})
            if (!key.empty() && StringField(config, field).empty())
                errors.push_back({std::string("config.") + field, "is required for the JWT grant"});
    }
}

TypeSpec DocuSignSpec() {
    return Spec("docusign", "signatures", "DocuSign",
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
                {"account_id"}, CheckCredentials);
}

}  // namespace

DocuSignProvider::DocuSignProvider() : Provider(DocuSignSpec(), MakeAdapter<DocuSignEnvelopes>) {}

std::vector<std::string> DocuSignProvider::OperatorEndpointKeys() const {
    return {type(), "docusign.oauth"};
}

}  // namespace kiln::integrations
