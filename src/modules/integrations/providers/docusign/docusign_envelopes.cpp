#include "modules/integrations/providers/docusign/docusign_envelopes.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/form_encoding.hpp"
#include "core/uuid.hpp"
#include "modules/integrations/crypto/jwt_rs256.hpp"
#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr const char* kDemoOAuthBase = "https://account-d.docusign.com";
constexpr const char* kLiveOAuthBase = "https://account.docusign.com";
constexpr const char* kJwtScope = "signature impersonation";
constexpr std::chrono::seconds kAssertionLifetime{3600};
// A token is replaced this long before it expires, so that no call starts with one about to lapse.
constexpr std::chrono::minutes kRefreshMargin{5};
// How long an account's base URI, read from userinfo (which has hourly call limits), is reused.
constexpr std::chrono::hours kBaseUriLifetime{1};

/// The message and code of `{"errorCode","message"}` (REST) or `{"error","error_description"}` (OAuth).
std::pair<std::string, std::string> ErrorOf(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, false);
    if (!parsed.is_object()) return {};
    if (parsed.contains("errorCode")) return {StringField(parsed, "message"), StringField(parsed, "errorCode")};
    std::string message = StringField(parsed, "error_description");
    const std::string code = StringField(parsed, "error");
    if (message.empty()) message = code;
    return {message, code};
}

/// host[:port] of a URL: the JWT audience is the OAuth host without its scheme.
std::string HostOf(const std::string& url) {
    const auto scheme = url.find("://");
    const std::string rest = scheme == std::string::npos ? url : url.substr(scheme + 3);
    return rest.substr(0, rest.find_first_of("/?#"));
}

/// "SO-1001.pdf" → "pdf"; DocuSign converts the document by this extension, PDF when there is none.
std::string ExtensionOf(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot + 1 == name.size()) return "pdf";
    std::string extension = name.substr(dot + 1);
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return extension;
}

int64_t ExpiresIn(const json& answer) {
    const auto it = answer.find("expires_in");
    if (it == answer.end()) return 0;
    if (it->is_number_integer()) return it->get<int64_t>();
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (const std::exception&) {
            return 0;  // unreadable: the token is used once and not cached
        }
    }
    return 0;
}

egress::OutboundRequest WithBearer(egress::OutboundRequest request, const std::string& token) {
    request.headers.emplace_back("Authorization", "Bearer " + token);
    return request;
}

/// Access tokens minted by the JWT grant (and the accounts' base URIs), shared by every adapter object of the
/// process: each grant costs a call against DocuSign's hourly limits. Keyed by integration and key material, so
/// that a changed key mints anew.
class TokenCache final {
  public:
    static TokenCache& Instance() {
        static TokenCache cache;
        return cache;
    }
    static TokenCache& BaseUris() {
        static TokenCache cache;
        return cache;
    }

    std::optional<std::string> Find(const std::string& key, SteadyTime now) {
        const std::lock_guard lock(mutex_);
        const auto it = tokens_.find(key);
        if (it == tokens_.end() || it->second.refresh_at <= now) return std::nullopt;
        return it->second.value;
    }

    void Store(const std::string& key, const std::string& value, SteadyTime refresh_at, SteadyTime now) {
        const std::lock_guard lock(mutex_);
        // Lapsed entries (rotated keys, deleted integrations) go here, so the map stays as small as what is in use.
        std::erase_if(tokens_, [now](const auto& entry) { return entry.second.refresh_at <= now; });
        if (refresh_at > now) tokens_[key] = {value, refresh_at};
    }

    /// Drops the token DocuSign refused, unless another call has already replaced it.
    void Forget(const std::string& key, const std::string& value) {
        const std::lock_guard lock(mutex_);
        const auto it = tokens_.find(key);
        if (it != tokens_.end() && it->second.value == value) tokens_.erase(it);
    }

  private:
    struct Entry {
        std::string value;
        SteadyTime refresh_at;
    };
    std::mutex mutex_;
    std::map<std::string, Entry> tokens_;
};

}  // namespace

bool IsDocuSignBaseUri(const std::string& uri) {
    constexpr std::string_view kScheme = "https://";
    if (!uri.starts_with(kScheme)) return false;
    std::string rest = uri.substr(kScheme.size());
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    std::string host = rest;
    if (host.ends_with(":443")) host.resize(host.size() - 4);
    if (host.empty() || host.size() > 253) return false;
    for (char& c : host) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!allowed) return false;  // a path, a port, user information, a query: not a bare DocuSign origin
    }
    if (host.starts_with('.') || host.find("..") != std::string::npos) return false;
    return host.ends_with(".docusign.net") || host.ends_with(".docusign.com");
}

std::string DocuSignEnvelopes::RestBase() const {
    const ProviderConfig& config = client_.config();
    if (config.HasBaseUrlOverride()) return config.BaseUrl("");
    const std::string key = CacheKey() + "|" + config.Required("account_id");
    if (auto cached = TokenCache::BaseUris().Find(key, std::chrono::steady_clock::now())) return *cached;
    // Accounts live on different hosts (demo, na2, eu, …): DocuSign names the account's in userinfo.
    std::string base = AccountBaseUri(UserInfo()) + "/restapi";
    const auto now = std::chrono::steady_clock::now();
    TokenCache::BaseUris().Store(key, base, now + kBaseUriLifetime, now);
    return base;
}

std::string DocuSignEnvelopes::OAuthBase() const {
    const ProviderConfig& config = client_.config();
    return config.OAuthBaseUrl(config.mode() == "live" ? kLiveOAuthBase : kDemoOAuthBase);
}

json DocuSignEnvelopes::UserInfo() const {
    egress::OutboundRequest request;
    request.url = OAuthBase() + "/oauth/userinfo";
    request.headers = {{"Accept", "application/json"}};
    return client_.ParseJson(Authorized(request, true));
}

std::string DocuSignEnvelopes::AccountBaseUri(const json& info) const {
    const std::string account_id = client_.config().Required("account_id");
    const auto accounts = info.find("accounts");
    if (accounts != info.end() && accounts->is_array())
        for (const auto& account : *accounts) {
            if (StringField(account, "account_id") != account_id) continue;
            std::string base = StringField(account, "base_uri");
            // The bearer token goes to this host: only DocuSign's own, over https, whatever the answer says.
            if (!IsDocuSignBaseUri(base))
                client_.Fail(ProviderError::Kind::kMisconfigured,
                             "the account's base_uri is not an https URL on docusign.net or docusign.com");
            while (!base.empty() && base.back() == '/') base.pop_back();
            return base;
        }
    client_.Fail(ProviderError::Kind::kMisconfigured, "the user has no access to account " + account_id);
}

std::string DocuSignEnvelopes::AccountUrl() const {
    return RestBase() + "/v2.1/accounts/" + PercentEncode(client_.config().Required("account_id"));
}

std::string DocuSignEnvelopes::CacheKey() const {
    const ProviderConfig& config = client_.config();
    const std::string material = config.Get("integration_key") + '\n' + config.Get("user_id") + '\n' +
                                 config.Get("private_key") + '\n' + OAuthBase();
    return config.id().str() + "|" + crypto::Sha256Hex(material);
}

DocuSignEnvelopes::Token DocuSignEnvelopes::AccessToken() const {
    const std::string provided = client_.config().Get("access_token");
    if (!provided.empty()) return {provided, false};
    if (auto cached = TokenCache::Instance().Find(CacheKey(), std::chrono::steady_clock::now()))
        return {std::move(*cached), true};
    return MintToken();
}

DocuSignEnvelopes::Token DocuSignEnvelopes::MintToken() const {
    const ProviderConfig& config = client_.config();
    const std::string oauth = OAuthBase();
    const auto issued =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    const json claims = {{"iss", config.Required("integration_key")},
                         {"sub", config.Required("user_id")},
                         {"aud", HostOf(oauth)},
                         {"iat", issued.count()},
                         {"exp", (issued + kAssertionLifetime).count()},
                         {"scope", kJwtScope}};
    std::string assertion;
    try {
        assertion = signatures::SignJwtRs256(json::object(), claims, config.Required("private_key"));
    } catch (const std::invalid_argument&) {
        client_.Fail(ProviderError::Kind::kMisconfigured, "private_key is not an RSA private key in PEM");
    }

    egress::OutboundRequest request;
    request.method = "POST";
    request.url = oauth + "/oauth/token";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    // Written as DocuSign documents it: the grant type's ':' is legal in a form value and the JWT is base64url
    // and '.', so nothing here needs escaping.
    request.body = "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=" + assertion;
    const auto requested_at = std::chrono::steady_clock::now();
    // Minting a token changes nothing at DocuSign, so the call may be repeated.
    const egress::OutboundResponse response = client_.Send(std::move(request), true);
    if (!IsSuccess(response.status)) {
        const auto [message, code] = ErrorOf(response.body);
        client_.FailWith(response, message, code);
    }
    const json answer = client_.ParseJson(response);
    Token token{StringField(answer, "access_token"), true};
    if (token.value.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the token answer has no access_token");
    const auto refresh_at = requested_at + std::chrono::seconds(ExpiresIn(answer)) - kRefreshMargin;
    TokenCache::Instance().Store(CacheKey(), token.value, refresh_at, std::chrono::steady_clock::now());
    return token;
}

egress::OutboundResponse DocuSignEnvelopes::Authorized(const egress::OutboundRequest& request, bool retry_safe) const {
    Token token = AccessToken();
    egress::OutboundResponse response = client_.Send(WithBearer(request, token.value), retry_safe);
    if (response.status == 401 && token.from_grant) {
        // A minted token was revoked or lapsed early. A 401 did nothing, so one more try is safe even for a send.
        TokenCache::Instance().Forget(CacheKey(), token.value);
        token = MintToken();
        response = client_.Send(WithBearer(request, token.value), retry_safe);
    }
    if (!IsSuccess(response.status)) {
        const auto [message, code] = ErrorOf(response.body);
        client_.FailWith(response, message, code);
    }
    return response;
}

EnvelopeStatus DocuSignEnvelopes::StatusOf(const json& answer) const {
    EnvelopeStatus status{StringField(answer, "envelopeId"), StringField(answer, "status")};
    if (status.status.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the answer has no envelope status");
    return status;
}

void DocuSignEnvelopes::TestConnection() {
    // userinfo is cheap and proves the token, that the user holds the account and (unless the operator set the
    // REST endpoint) that the account's base URI is DocuSign's. (An envelope status-change list would also prove
    // the base URI, but the local DocuSign stand-in the API tests run against serves no list.)
    const std::string base = AccountBaseUri(UserInfo());
    (void)base;
}

EnvelopeStatus DocuSignEnvelopes::Send(const EnvelopeRequest& envelope) {
    json documents = json::array();
    for (size_t i = 0; i < envelope.documents.size(); ++i) {
        const SignatureDocument& document = envelope.documents[i];
        documents.push_back({{"documentId", std::to_string(i + 1)},
                             {"name", document.name},
                             {"fileExtension", ExtensionOf(document.name)},
                             {"documentBase64", crypto::Base64Encode(document.content)}});
    }
    json signers = json::array();
    for (size_t i = 0; i < envelope.signers.size(); ++i) {
        const Signer& signer = envelope.signers[i];
        const std::string recipient_id = std::to_string(i + 1);
        // DocuSign takes ids, orders and offsets as strings. The tab is optional per document, so a document
        // without the anchor text does not fail the envelope.
        const json sign_here = {{"anchorString", "/sig" + recipient_id + "/"},
                                {"anchorUnits", "pixels"},
                                {"anchorXOffset", "0"},
                                {"anchorYOffset", "0"},
                                {"anchorIgnoreIfNotPresent", "true"}};
        signers.push_back({{"email", signer.email},
                           {"name", signer.name},
                           {"recipientId", recipient_id},
                           {"routingOrder", std::to_string(signer.routing_order)},
                           {"tabs", {{"signHereTabs", json::array({sign_here})}}}});
    }
    const json body = {{"emailSubject", envelope.subject},
                       {"emailBlurb", envelope.message},
                       {"status", "sent"},
                       {"documents", std::move(documents)},
                       {"recipients", {{"signers", std::move(signers)}}}};

    egress::OutboundRequest request;
    request.method = "POST";
    request.url = AccountUrl() + "/envelopes";
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    // No idempotency key exists for envelopes: a repeated send after a timeout could send the envelope twice.
    EnvelopeStatus status = StatusOf(client_.ParseJson(Authorized(request, false)));
    if (status.envelope_id.empty()) client_.Fail(ProviderError::Kind::kMalformed, "the answer has no envelopeId");
    return status;
}

EnvelopeStatus DocuSignEnvelopes::Status(const std::string& envelope_id) {
    if (!IsUuid(envelope_id)) throw ValidationError("envelope_id", "is not a UUID");
    egress::OutboundRequest request;
    request.url = AccountUrl() + "/envelopes/" + envelope_id;
    request.headers = {{"Accept", "application/json"}};
    EnvelopeStatus status = StatusOf(client_.ParseJson(Authorized(request, true)));
    if (status.envelope_id.empty()) status.envelope_id = envelope_id;
    return status;
}

}  // namespace kiln::integrations
