#pragma once

#include <string>

#include "modules/integrations/capabilities.hpp"
#include "modules/integrations/provider_client.hpp"

namespace kiln::integrations {

/// Whether `uri` is a DocuSign REST origin an account's userinfo may name: https on a host under docusign.net or
/// docusign.com (demo.docusign.net, na2.docusign.net, …), no port but 443, nothing after the host.
bool IsDocuSignBaseUri(const std::string& uri);

/// DocuSign envelopes over the eSignature REST API v2.1. Hosts are pinned: OAuth at account-d.docusign.com (test
/// mode) or account.docusign.com (live); REST at the account's base URI from userinfo + /restapi, refused unless it
/// is DocuSign's (IsDocuSignBaseUri); only the operator's endpoint override replaces either. Bearer token: the
/// configured access_token, else one from the JWT grant, cached process-wide per integration and key until 5
/// minutes before it expires.
class DocuSignEnvelopes final : public SignatureProvider {
  public:
    explicit DocuSignEnvelopes(const ProviderClient& client) : client_(client) {}

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
    nlohmann::json UserInfo() const;
    /// The base URI of the configured account in a userinfo answer; ProviderError when it is absent or not DocuSign's.
    std::string AccountBaseUri(const nlohmann::json& info) const;
    std::string AccountUrl() const;
    std::string CacheKey() const;
    Token AccessToken() const;
    Token MintToken() const;
    egress::OutboundResponse Authorized(const egress::OutboundRequest& request, bool retry_safe) const;
    EnvelopeStatus StatusOf(const nlohmann::json& answer) const;

    const ProviderClient& client_;
};

}  // namespace kiln::integrations
