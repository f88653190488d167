#pragma once

// A local stand-in for DocuSign's OAuth (JWT Grant) and eSignature REST v2.1 APIs (provider-apis.md §7) for
// tests of Kiln's DocuSign adapter. One server plays both hosts: {base_url()} stands for the OAuth host
// (https://account-d.docusign.com) and for the account's base_uri (https://demo.docusign.net). Every request the
// real DocuSign would reject gets a violation and DocuSign's error shape. Independent of Kiln's sources.
//
// Endpoints:
//   POST {base}/oauth/token        form: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>
//   GET  {base}/oauth/userinfo     Bearer → {sub,name,email,accounts:[{account_id,is_default,account_name,base_uri}]}
//   POST {base}/restapi/v2.1/accounts/{accountId}/envelopes
//   GET  {base}/restapi/v2.1/accounts/{accountId}/envelopes/{envelopeId}
//
// JWT checks: three base64url segments (no padding); header JSON with alg RS256; RS256 signature valid under the
// configured public key; claims iss = integration key, sub = user id, aud = oauth_audience() (host:port, no
// scheme), numeric iat <= now + 60, numeric exp > now, exp - iat <= 3660, scope holding both "signature" and
// "impersonation". Failure: 400 {"error":"invalid_grant","error_description":…} (DocuSign's descriptions where
// known: no_valid_keys_or_signatures, issuer_not_found, user_not_found). Issued tokens live 3600 s.
//
// Envelope create checks: Content-Type application/json and a JSON object body; emailSubject non-empty string;
// status absent (DocuSign then saves a draft), "sent" or "created"; documents non-empty, each with string
// documentId, non-empty string name and documentBase64 that decodes (standard base64, whitespace allowed) to
// something; recipients.signers non-empty, each with email (one '@'), non-empty name, string recipientId and
// string routingOrder; carbonCopies, when present, likewise; ids and routing orders given as JSON numbers are
// rejected with INVALID_REQUEST_BODY; a tab's documentId/recipientId must be strings and the documentId must
// name a document of the envelope (TAB_REFERS_TO_MISSING_DOCUMENT). The fake requires documents and signers
// for drafts too.
//
// Rate limits and polling limits are not modelled.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

/// base_url() ("http://127.0.0.1:PORT": the OAuth base and the REST base_uri), violations() (one entry per request
/// the real DocuSign would have rejected, saying why), requests() and FailNext() (OAuth included, replies as is,
/// unprocessed) come from FakeProviderBase.
class FakeDocuSign : public FakeProviderBase {
  public:
    /// Throws std::invalid_argument when `rsa_public_key_pem` is not an RSA SubjectPublicKeyInfo PEM.
    FakeDocuSign(std::string integration_key, std::string user_id, std::string account_id,
                 std::string rsa_public_key_pem);
    ~FakeDocuSign() override;

    /// The `aud` the JWT must carry: "127.0.0.1:PORT" (the OAuth host without scheme).
    std::string oauth_audience() const;

    /// Accepts `token` as a Bearer token (never expires).
    void AllowStaticToken(std::string token);
    /// Invalidates every token issued so far (static tokens stay), as an expiry would.
    void ExpireIssuedTokens();
    /// Successful /oauth/token answers.
    int tokens_issued() const;

    /// Changes the status (and statusChangedDateTime) of a created envelope; throws std::invalid_argument for an
    /// unknown id.
    void SetEnvelopeStatus(const std::string& envelope_id, const std::string& status);
    /// The accepted create bodies, by envelope id.
    std::map<std::string, nlohmann::json> envelopes() const;

    /// base64(HMAC-SHA256(key, body)): an X-DocuSign-Signature-N value of a Connect delivery.
    static std::string ConnectSignature(const std::string& key, const std::string& body);
    /// A fresh RSA-2048 key pair: (private key PKCS#8 PEM, public key SubjectPublicKeyInfo PEM).
    static std::pair<std::string, std::string> GenerateRsaKeyPair();

  private:
    struct Envelope {
        nlohmann::json body;
        std::string status;
        std::string created;
        std::string status_changed;
        std::map<std::string, std::string> dates;  // sentDateTime, completedDateTime, … as reached
    };

    Reply Handle(const ReceivedRequest& request) override;
    Reply HandleToken(const ReceivedRequest& request, const std::string& label);
    Reply HandleUserInfo(const ReceivedRequest& request, const std::string& label);
    Reply HandleCreate(const ReceivedRequest& request, const std::string& label);
    Reply HandleGet(const std::string& envelope_id, const std::string& label);
    bool Authorized(const ReceivedRequest& request, std::string& why) const;
    Reply Reject(const std::string& violation, Reply reply);  // needs mutex_ held

    const std::string integration_key_;
    const std::string user_id_;
    const std::string account_id_;
    std::shared_ptr<void> public_key_;  // EVP_PKEY*, freed by its deleter

    std::map<std::string, double> issued_tokens_;  // token → expiry (epoch seconds)
    std::set<std::string> static_tokens_;
    int tokens_issued_ = 0;
    std::map<std::string, Envelope> envelopes_;
};

}  // namespace kiln::testing
