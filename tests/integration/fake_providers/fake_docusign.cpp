#include "fake_docusign.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace kiln::testing {

namespace fu = fakeutil;
using nlohmann::json;

namespace {

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr double kTokenLifetime = 3600;
/// Nesting limit for request JSON (bodies and JWT segments): deeper ones are treated as malformed.
constexpr size_t kMaxJsonDepth = 100;

Reply OAuthError(const std::string& error, const std::string& description = "") {
    json body = {{"error", error}};
    if (!description.empty()) body["error_description"] = description;
    return fu::JsonUtf8Reply(400, body);
}

Reply ApiError(int status, const std::string& code, const std::string& message) {
    return fu::JsonUtf8Reply(status, {{"errorCode", code}, {"message", message}});
}

std::string StatusTime(double now) {
    return fu::FormatIso8601(now, 7);
}

struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

/// Checks a JWT-bearer assertion. Returns {error_description, why} on failure.
std::optional<std::pair<std::string, std::string>> CheckAssertion(const std::string& jwt, EVP_PKEY* key,
                                                                  const std::string& issuer, const std::string& subject,
                                                                  const std::string& audience) {
    using Failure = std::pair<std::string, std::string>;
    const auto parts = fu::Split(jwt, '.');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty())
        return Failure{"invalid_request", "the assertion is not three non-empty '.'-separated segments"};
    const auto header_text = fu::Base64UrlDecode(parts[0]);
    const auto payload_text = fu::Base64UrlDecode(parts[1]);
    const auto signature = fu::Base64UrlDecode(parts[2]);
    if (!header_text || !payload_text || !signature)
        return Failure{"invalid_request", "a JWT segment is not unpadded base64url"};
    const json header = fu::ParseJson(*header_text, kMaxJsonDepth).value_or(json());
    const json claims = fu::ParseJson(*payload_text, kMaxJsonDepth).value_or(json());
    if (!header.is_object() || !claims.is_object())
        return Failure{"invalid_request", "the JWT header or payload is not a JSON object"};
    if (!header.contains("alg") || header["alg"] != "RS256")
        return Failure{"invalid_request", "JWT header alg is not \"RS256\": " + fu::Brief(header)};

    if (!claims.contains("iss") || claims["iss"] != issuer)
        return Failure{"issuer_not_found", "iss is not the integration key: " + fu::Brief(claims.value("iss", json()))};

    const std::string signed_part = parts[0] + "." + parts[1];
    std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
    const bool valid =
        ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
    if (!valid)
        return Failure{"no_valid_keys_or_signatures",
                       "the RS256 signature does not verify under the integration key's public key"};

    if (!claims.contains("sub") || claims["sub"] != subject)
        return Failure{"user_not_found", "sub is not the user id: " + fu::Brief(claims.value("sub", json()))};
    if (!claims.contains("aud") || !claims["aud"].is_string() || claims["aud"] != audience)
        return Failure{"invalid_request", "aud must be the string \"" + audience +
                                              "\" (OAuth host without scheme), got " +
                                              fu::Brief(claims.value("aud", json()))};
    if (!claims.contains("iat") || !claims["iat"].is_number() || !claims.contains("exp") || !claims["exp"].is_number())
        return Failure{"invalid_request", "iat and exp must be numeric dates"};
    const double iat = claims["iat"].get<double>();
    const double exp = claims["exp"].get<double>();
    const double now = fu::NowSeconds();
    if (iat > now + 60) return Failure{"invalid_request", "iat lies in the future"};
    if (exp <= now) return Failure{"invalid_request", "the assertion has expired (exp <= now)"};
    if (exp - iat > kTokenLifetime + 60) return Failure{"invalid_request", "exp - iat exceeds one hour"};
    if (!claims.contains("scope") || !claims["scope"].is_string())
        return Failure{"invalid_scope", "scope claim missing or not a string"};
    bool signature_scope = false;
    bool impersonation_scope = false;
    for (const auto& scope : fu::Split(claims["scope"].get<std::string>(), ' ')) {
        signature_scope = signature_scope || scope == "signature";
        impersonation_scope = impersonation_scope || scope == "impersonation";
    }
    if (!signature_scope || !impersonation_scope)
        return Failure{"invalid_scope", "scope must contain \"signature\" and \"impersonation\", got \"" +
                                            claims["scope"].get<std::string>() + "\""};
    return std::nullopt;
}

bool PlausibleEmail(const std::string& email) {
    const auto at = email.find('@');
    return at != std::string::npos && at > 0 && at + 1 < email.size() && email.find('@', at + 1) == std::string::npos &&
           email.find_first_of(" \t\r\n,;<>") == std::string::npos;
}

}  // namespace

FakeDocuSign::FakeDocuSign(std::string integration_key, std::string user_id, std::string account_id,
                           std::string rsa_public_key_pem)
    : integration_key_(std::move(integration_key)), user_id_(std::move(user_id)), account_id_(std::move(account_id)) {
    std::unique_ptr<BIO, BioDeleter> bio(
        BIO_new_mem_buf(rsa_public_key_pem.data(), static_cast<int>(rsa_public_key_pem.size())));
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        throw std::invalid_argument("FakeDocuSign: rsa_public_key_pem is not an RSA public key (SPKI PEM)");
    }
    public_key_ = std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
    Start();
}

FakeDocuSign::~FakeDocuSign() {
    Stop();
}

std::string FakeDocuSign::oauth_audience() const {
    constexpr std::string_view kScheme = "http://";
    return base_url().substr(kScheme.size());
}

void FakeDocuSign::AllowStaticToken(std::string token) {
    const std::lock_guard lock(mutex_);
    static_tokens_.insert(std::move(token));
}

void FakeDocuSign::ExpireIssuedTokens() {
    const std::lock_guard lock(mutex_);
    issued_tokens_.clear();
}

int FakeDocuSign::tokens_issued() const {
    const std::lock_guard lock(mutex_);
    return tokens_issued_;
}

void FakeDocuSign::SetEnvelopeStatus(const std::string& envelope_id, const std::string& status) {
    const std::lock_guard lock(mutex_);
    const auto it = envelopes_.find(envelope_id);
    if (it == envelopes_.end()) throw std::invalid_argument("FakeDocuSign::SetEnvelopeStatus: unknown envelope");
    const std::string now = StatusTime(fu::NowSeconds());
    it->second.status = status;
    it->second.status_changed = now;
    if (status != "created") it->second.dates[status + "DateTime"] = now;
}

std::map<std::string, json> FakeDocuSign::envelopes() const {
    const std::lock_guard lock(mutex_);
    std::map<std::string, json> out;
    for (const auto& [id, envelope] : envelopes_) out[id] = envelope.body;
    return out;
}

std::string FakeDocuSign::ConnectSignature(const std::string& key, const std::string& body) {
    return fu::Base64Encode(fu::HmacSha256(key, body));
}

std::pair<std::string, std::string> FakeDocuSign::GenerateRsaKeyPair() {
    EVP_PKEY* raw = EVP_RSA_gen(2048);
    if (raw == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
    const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(raw, EVP_PKEY_free);
    const auto to_pem = [&](bool is_private) {
        std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
        const int ok = is_private
                           ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                           : PEM_write_bio_PUBKEY(bio.get(), key.get());
        if (!bio || ok != 1) throw std::runtime_error("PEM encoding failed");
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<size_t>(length));
    };
    return {to_pem(true), to_pem(false)};
}

Reply FakeDocuSign::Reject(const std::string& violation, Reply reply) {
    RecordViolation(violation);
    return reply;
}

bool FakeDocuSign::Authorized(const ReceivedRequest& request, std::string& why) const {
    const auto header = request.Header("Authorization");
    if (!header) {
        why = "no Authorization header";
        return false;
    }
    if (header->size() < 7 || fu::ToLower(header->substr(0, 7)) != "bearer ") {
        why = "Authorization is not a Bearer token";
        return false;
    }
    const std::string token = header->substr(7);
    if (static_tokens_.count(token)) return true;
    const auto it = issued_tokens_.find(token);
    if (it == issued_tokens_.end()) {
        why = "Bearer token was never issued (or was expired by the test)";
        return false;
    }
    if (it->second <= fu::NowSeconds()) {
        why = "Bearer token expired";
        return false;
    }
    return true;
}

Reply FakeDocuSign::Handle(const ReceivedRequest& request) {
    const std::string label = fu::RequestLabel(request);
    const auto [path, query] = fu::SplitTarget(request.target);
    if (path == "/oauth/token") {
        if (request.method != "POST") return Reject(label + ": /oauth/token takes POST", OAuthError("invalid_request"));
        return HandleToken(request, label);
    }
    if (path == "/oauth/userinfo") {
        if (request.method != "GET")
            return Reject(label + ": /oauth/userinfo takes GET", OAuthError("invalid_request"));
        return HandleUserInfo(request, label);
    }
    const Reply not_found = ApiError(404, "RESOURCE_NOT_FOUND", "The URL provided does not resolve to a resource.");
    static const std::string kPrefix = "/restapi/v2.1/accounts/";
    if (!path.starts_with(kPrefix)) return Reject(label + ": no such DocuSign path", not_found);

    std::string why;
    if (!Authorized(request, why))
        return Reject(label + ": " + why, ApiError(401, "AUTHORIZATION_INVALID_TOKEN",
                                                   "The access token provided is expired, revoked or malformed."));
    const auto segments = fu::Split(std::string_view(path).substr(kPrefix.size()), '/');
    if (segments[0] != account_id_)
        return Reject(label + ": account id '" + segments[0] + "' is not the user's account '" + account_id_ + "'",
                      ApiError(400, "ACCOUNT_LACKS_PERMISSIONS", "This account lacks sufficient permissions."));
    if (segments.size() == 2 && segments[1] == "envelopes") {
        if (request.method != "POST")
            return Reject(label + ": the fake serves only POST …/envelopes (no list)", not_found);
        return HandleCreate(request, label);
    }
    if (segments.size() == 3 && segments[1] == "envelopes" && !segments[2].empty()) {
        if (request.method != "GET") return Reject(label + ": the fake serves only GET …/envelopes/{id}", not_found);
        return HandleGet(segments[2], label);
    }
    return Reject(label + ": unknown eSignature resource", not_found);
}

Reply FakeDocuSign::HandleToken(const ReceivedRequest& request, const std::string& label) {
    const std::string content_type = fu::ToLower(request.Header("Content-Type").value_or(""));
    if (!content_type.starts_with("application/x-www-form-urlencoded"))
        return Reject(label + ": Content-Type must be application/x-www-form-urlencoded, got '" + content_type + "'",
                      OAuthError("invalid_request"));
    const auto form = fu::ParseForm(request.body);
    if (!form) return Reject(label + ": malformed form body", OAuthError("invalid_request"));
    std::optional<std::string> grant_type, assertion;
    for (const auto& [name, value] : *form) {
        std::optional<std::string>* slot = name == "grant_type"  ? &grant_type
                                           : name == "assertion" ? &assertion
                                                                 : nullptr;
        if (slot == nullptr) continue;
        if (*slot) return Reject(label + ": parameter '" + name + "' repeated", OAuthError("invalid_request"));
        *slot = value;
    }
    if (!grant_type || *grant_type != kJwtBearer)
        return Reject(label + ": grant_type is not " + kJwtBearer, OAuthError("unsupported_grant_type"));
    if (!assertion || assertion->empty()) return Reject(label + ": no assertion", OAuthError("invalid_request"));
    const auto failure = CheckAssertion(*assertion, static_cast<EVP_PKEY*>(public_key_.get()), integration_key_,
                                        user_id_, oauth_audience());
    if (failure)
        return Reject(label + ": JWT rejected: " + failure->second, OAuthError("invalid_grant", failure->first));
    const std::string token = fu::Base64UrlEncode(fu::RandomBytes(48));
    issued_tokens_[token] = fu::NowSeconds() + kTokenLifetime;
    ++tokens_issued_;
    Reply reply = fu::JsonUtf8Reply(200, {{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", 3600}});
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
}

Reply FakeDocuSign::HandleUserInfo(const ReceivedRequest& request, const std::string& label) {
    std::string why;
    if (!Authorized(request, why))
        return Reject(label + ": " + why, fu::JsonUtf8Reply(401, {{"error", "invalid_token"}}));
    return fu::JsonUtf8Reply(200, {{"sub", user_id_},
                                   {"name", "Fake DocuSign User"},
                                   {"email", "fake.user@example.com"},
                                   {"accounts", json::array({{{"account_id", account_id_},
                                                              {"is_default", true},
                                                              {"account_name", "Fake Account"},
                                                              {"base_uri", base_url()}}})}});
}

Reply FakeDocuSign::HandleCreate(const ReceivedRequest& request, const std::string& label) {
    const auto bad_body = [&](const std::string& why) {
        return Reject(label + ": " + why, ApiError(400, "INVALID_REQUEST_BODY",
                                                   "The request body is missing or improperly formatted. " + why));
    };
    const auto incomplete = [&](const std::string& why) {
        return Reject(label + ": " + why,
                      ApiError(400, "ENVELOPE_IS_INCOMPLETE",
                               "The Envelope is not Complete. A Complete Envelope Requires Documents, Recipients, "
                               "Tabs, and a Subject Line."));
    };
    const std::string content_type = fu::ToLower(request.Header("Content-Type").value_or(""));
    if (!content_type.starts_with("application/json"))
        return bad_body("Content-Type must be application/json, got '" + content_type + "'");
    const json body = fu::ParseJson(request.body, kMaxJsonDepth).value_or(json());
    if (!body.is_object()) return bad_body("the body is not a JSON object");

    if (!body.contains("emailSubject") || !body["emailSubject"].is_string() ||
        body["emailSubject"].get<std::string>().empty())
        return incomplete("emailSubject missing or empty");
    std::string status = "created";
    if (body.contains("status")) {
        if (!body["status"].is_string() || (body["status"] != "sent" && body["status"] != "created"))
            return Reject(label + ": status must be \"sent\" or \"created\", got " + fu::Brief(body["status"]),
                          ApiError(400, "ENVELOPE_INVALID_STATUS", "Invalid envelope status."));
        status = body["status"].get<std::string>();
    }

    if (!body.contains("documents") || !body["documents"].is_array() || body["documents"].empty())
        return incomplete("documents missing or empty");
    std::set<std::string> document_ids;
    for (size_t i = 0; i < body["documents"].size(); ++i) {
        const json& doc = body["documents"][i];
        const std::string where = "documents[" + std::to_string(i) + "]";
        if (!doc.is_object()) return bad_body(where + " is not an object");
        if (!doc.contains("documentId") || !doc["documentId"].is_string() ||
            doc["documentId"].get<std::string>().empty())
            return bad_body(where + ".documentId must be a non-empty string, got " +
                            fu::Brief(doc.value("documentId", json())));
        if (!doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty())
            return bad_body(where + ".name must be a non-empty string");
        if (!doc.contains("documentBase64") || !doc["documentBase64"].is_string())
            return bad_body(where + ".documentBase64 must be a string");
        const auto bytes = fu::Base64DecodeCanonical(doc["documentBase64"].get<std::string>(), true);
        if (!bytes || bytes->empty()) return bad_body(where + ".documentBase64 is not valid non-empty base64");
        document_ids.insert(doc["documentId"].get<std::string>());
    }

    if (!body.contains("recipients") || !body["recipients"].is_object()) return incomplete("recipients missing");
    const json& recipients = body["recipients"];
    if (!recipients.contains("signers") || !recipients["signers"].is_array() || recipients["signers"].empty())
        return incomplete("recipients.signers missing or empty");
    for (const char* group : {"signers", "carbonCopies"}) {
        if (!recipients.contains(group)) continue;
        if (!recipients[group].is_array()) return bad_body(std::string("recipients.") + group + " is not an array");
        for (size_t i = 0; i < recipients[group].size(); ++i) {
            const json& r = recipients[group][i];
            const std::string where = std::string("recipients.") + group + "[" + std::to_string(i) + "]";
            if (!r.is_object()) return bad_body(where + " is not an object");
            if (!r.contains("email") || !r["email"].is_string() || !PlausibleEmail(r["email"].get<std::string>()))
                return Reject(label + ": " + where + ".email is not an email address",
                              ApiError(400, "INVALID_EMAIL_ADDRESS_FOR_RECIPIENT",
                                       "The email address for the recipient is invalid. The recipient Id follows."));
            if (!r.contains("name") || !r["name"].is_string() || r["name"].get<std::string>().empty())
                return bad_body(where + ".name must be a non-empty string");
            for (const char* key : {"recipientId", "routingOrder"})
                if (!r.contains(key) || !r[key].is_string() || r[key].get<std::string>().empty())
                    return bad_body(where + "." + key + " must be a non-empty string, got " +
                                    fu::Brief(r.value(key, json())));
            if (!r.contains("tabs")) continue;
            if (!r["tabs"].is_object()) return bad_body(where + ".tabs is not an object");
            for (const auto& [kind, list] : r["tabs"].items()) {
                if (!list.is_array()) return bad_body(where + ".tabs." + kind + " is not an array");
                for (const json& tab : list) {
                    if (!tab.is_object()) return bad_body(where + ".tabs." + kind + " holds a non-object");
                    for (const char* key : {"documentId", "recipientId"})
                        if (tab.contains(key) && !tab[key].is_string())
                            return bad_body(where + ".tabs." + kind + "[]." + key + " must be a string, got " +
                                            fu::Brief(tab[key]));
                    if (tab.contains("documentId") && !document_ids.count(tab["documentId"].get<std::string>()))
                        return Reject(label + ": " + where + ".tabs." + kind + " refers to missing document " +
                                          tab["documentId"].get<std::string>(),
                                      ApiError(400, "TAB_REFERS_TO_MISSING_DOCUMENT",
                                               "The DocumentId specified in the tab element does not refer to a "
                                               "document in this envelope. Tab refers to DocumentId " +
                                                   tab["documentId"].get<std::string>() + " which is not present."));
                }
            }
        }
    }

    const std::string id = fu::Uuid4();
    const std::string now = StatusTime(fu::NowSeconds());
    Envelope envelope{body, status, now, now, {}};
    if (status == "sent") envelope.dates["sentDateTime"] = now;
    envelopes_[id] = std::move(envelope);
    return fu::JsonUtf8Reply(
        201, {{"envelopeId", id}, {"uri", "/envelopes/" + id}, {"statusDateTime", now}, {"status", status}});
}

Reply FakeDocuSign::HandleGet(const std::string& envelope_id, const std::string& label) {
    const auto it = envelopes_.find(envelope_id);
    if (it == envelopes_.end())
        return Reject(label + ": no envelope " + envelope_id,
                      ApiError(400, "ENVELOPE_DOES_NOT_EXIST",
                               "The envelope specified either does not exist or you have no rights to it."));
    const Envelope& e = it->second;
    json out = {{"envelopeId", envelope_id},
                {"status", e.status},
                {"emailSubject", e.body["emailSubject"]},
                {"createdDateTime", e.created},
                {"statusChangedDateTime", e.status_changed},
                {"envelopeUri", "/envelopes/" + envelope_id},
                {"documentsUri", "/envelopes/" + envelope_id + "/documents"},
                {"recipientsUri", "/envelopes/" + envelope_id + "/recipients"}};
    if (e.body.contains("emailBlurb")) out["emailBlurb"] = e.body["emailBlurb"];
    for (const auto& [key, value] : e.dates) out[key] = value;
    return fu::JsonUtf8Reply(200, out);
}

}  // namespace kiln::testing
