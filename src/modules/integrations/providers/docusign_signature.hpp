#pragma once

#include <string>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// DocuSign envelopes over the eSignature REST API v2.1 (the integration's base_url = the account's base URI +
/// /restapi; https://demo.docusign.net/restapi in test mode). Bearer token: the configured access_token, else one
/// from the JWT grant, cached process-wide per integration and key until 5 minutes before it expires.
class DocuSignSignature final : public SignatureProvider {
  public:
    explicit DocuSignSignature(const ProviderClient& client) : client_(client) {}

    /// Obtains a token and asks {oauth}/oauth/userinfo whether the user holds account_id.
    void TestConnection() override;
    /// Sends the envelope at once (status "sent"); each signer signs at the anchor text `/sig<n>/` (n = the signer's
    /// position, from 1) where a document has it.
    EnvelopeStatus Send(const EnvelopeRequest& envelope) override;
    /// `envelope_id` must be a UUID.
    EnvelopeStatus Status(const std::string& envelope_id) override;

  private:
    struct Token {
        std::string value;
        bool from_grant = false;  // minted by Kiln, so it may be replaced when refused
    };

    std::string RestBase() const;
    std::string OAuthBase() const;
    std::string AccountUrl() const;
    std::string CacheKey() const;
    Token AccessToken() const;
    Token MintToken() const;
    egress::OutboundResponse Authorized(const egress::OutboundRequest& request, bool retry_safe) const;
    EnvelopeStatus StatusOf(const nlohmann::json& answer) const;

    const ProviderClient& client_;
};

}  // namespace kiln::integrations
