#include "egress/outbound_client.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <new>

#include "core/strings.hpp"
#include "observability/metrics.hpp"
#include "observability/span.hpp"
#include "observability/url_origin.hpp"

namespace kiln::egress {

namespace {

using Clock = std::chrono::steady_clock;

// Idle easy handles kept per client. Each keeps its own connection cache, so a handful is enough
// for repeated calls to the same hosts without holding many idle sockets.
constexpr std::size_t kMaxIdleHandles = 8;
// Bodies are truncated, but an endless header stream must still end the call.
constexpr std::size_t kMaxHeaderBytes = std::size_t{64} * 1024;
constexpr const char* kUserAgentHeader = "User-Agent: Kiln/" KILN_VERSION;

struct UrlDeleter {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlFreeDeleter {
    void operator()(char* text) const { curl_free(text); }
};
struct AddrinfoDeleter {
    void operator()(addrinfo* list) const { freeaddrinfo(list); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void InitCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    });
}

[[noreturn]] void Fail(EgressErrorKind kind, const std::string& message) {
    throw EgressError(kind, message);
}

void Append(Slist& list, const std::string& line) {
    curl_slist* head = curl_slist_append(list.get(), line.c_str());
    if (head == nullptr) throw std::bad_alloc();
    (void)list.release();  // the same list, possibly with a new head
    list.reset(head);
}

template <typename Value>
void SetOption(CURL* easy, CURLoption option, Value value) {
    if (curl_easy_setopt(easy, option, value) != CURLE_OK) {
        Fail(EgressErrorKind::kOther, "libcurl refused option " + std::to_string(static_cast<int>(option)));
    }
}

std::optional<std::string> UrlPart(CURLU* url, CURLUPart part, unsigned int flags = 0) {
    char* raw = nullptr;
    if (curl_url_get(url, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
    const std::unique_ptr<char, CurlFreeDeleter> owned(raw);
    return std::string(owned.get());
}

// ---- The URL and its checked addresses -------------------------------------------------------

/// A parsed URL whose host has been resolved once and whose every address passed the policy.
struct Target {
    UrlHandle url;
    std::string scheme;
    std::string host;         // as curl holds it: "example.com", "127.0.0.1" or "[::1]"
    std::string lookup_host;  // without IPv6 brackets
    long port = 0;
    bool literal = false;
    std::vector<IpAddress> addresses;

    bool PlainHttp() const { return scheme == "http"; }
    // Only scheme, host and port: paths and queries may carry tokens and never reach messages.
    std::string Origin() const { return scheme + "://" + host + ":" + std::to_string(port); }
};

UrlHandle ParseUrl(const std::string& text, CURLU* base = nullptr) {
    UrlHandle url(base != nullptr ? curl_url_dup(base) : curl_url());
    if (!url) throw std::bad_alloc();
    // Unknown schemes parse, so that "ftp://…" is reported as a refused scheme, not a bad URL.
    const CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
    if (rc != CURLUE_OK) Fail(EgressErrorKind::kInvalidUrl, std::string("invalid URL: ") + curl_url_strerror(rc));
    return url;
}

void ReadUrlParts(Target& target) {
    CURLU* url = target.url.get();
    target.scheme = strings::ToLower(UrlPart(url, CURLUPART_SCHEME).value_or(""));
    if (target.scheme != "https" && target.scheme != "http") {
        Fail(EgressErrorKind::kSchemeNotAllowed, "scheme \"" + target.scheme + "\" is not allowed; use https");
    }
    // Credentials in a URL end up in logs and Referer-like places; callers send an Authorization
    // header instead.
    if (UrlPart(url, CURLUPART_USER) || UrlPart(url, CURLUPART_PASSWORD) || UrlPart(url, CURLUPART_OPTIONS)) {
        Fail(EgressErrorKind::kInvalidUrl, "URLs with user information are not allowed");
    }
    if (UrlPart(url, CURLUPART_ZONEID)) Fail(EgressErrorKind::kInvalidUrl, "IPv6 zone ids are not allowed");
    target.host = UrlPart(url, CURLUPART_HOST).value_or("");
    if (target.host.empty()) Fail(EgressErrorKind::kInvalidUrl, "the URL has no host");
    const bool bracketed = target.host.size() > 2 && target.host.front() == '[' && target.host.back() == ']';
    target.lookup_host = bracketed ? target.host.substr(1, target.host.size() - 2) : target.host;
    const auto port = UrlPart(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
    target.port = port ? std::stol(*port) : 0;
}

std::vector<IpAddress> Resolve(const Target& target) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(target.lookup_host.c_str(), nullptr, &hints, &raw);
    const std::unique_ptr<addrinfo, AddrinfoDeleter> list(raw);
    if (rc != 0) Fail(EgressErrorKind::kDnsFailure, target.Origin() + ": cannot resolve host: " + gai_strerror(rc));
    std::vector<IpAddress> addresses;
    for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
        const auto address = IpAddress::FromSockaddr(entry->ai_addr);
        if (address && std::find(addresses.begin(), addresses.end(), *address) == addresses.end()) {
            addresses.push_back(*address);
        }
    }
    if (addresses.empty()) Fail(EgressErrorKind::kDnsFailure, target.Origin() + ": the host has no IP address");
    return addresses;
}

void CheckAddresses(const EgressPolicy& policy, const Target& target) {
    // One bad address refuses the host: curl may pick any of them, and DNS may rotate them.
    for (const auto& address : target.addresses) {
        if (!policy.Allows(address)) {
            Fail(EgressErrorKind::kBlockedAddress,
                 target.Origin() + ": address " + address.ToString() +
                     " is internal (private, loopback, link-local, reserved or metadata) and not in " +
                     policy.setting());
        }
        if (target.PlainHttp() && !policy.AllowsPlainHttp(address)) {
            Fail(EgressErrorKind::kSchemeNotAllowed,
                 target.Origin() + ": plain http is only allowed to " + policy.setting() + "; use https");
        }
    }
}

Target Prepare(const EgressPolicy& policy, UrlHandle url) {
    Target target;
    target.url = std::move(url);
    ReadUrlParts(target);
    // Numeric hosts, in every form a resolver accepts, are judged before any lookup.
    auto literal = IpAddress::Parse(target.lookup_host);
    if (!literal) literal = IpAddress::ParseLegacyIPv4(target.lookup_host);
    if (literal) {
        target.literal = true;
        target.addresses = {*literal};
    } else if (target.PlainHttp() && !policy.HasAllowedNetworks()) {
        Fail(EgressErrorKind::kSchemeNotAllowed, target.Origin() + ": plain http is not allowed; use https");
    } else {
        target.addresses = Resolve(target);
    }
    CheckAddresses(policy, target);
    return target;
}

// ---- One transfer ----------------------------------------------------------------------------

/// What the callbacks of one curl_easy_perform write to. Lives on the caller's stack.
struct Transfer {
    const EgressPolicy* policy = nullptr;
    bool plain_http = false;
    std::size_t max_body = 0;
    std::size_t header_bytes = 0;
    bool headers_too_large = false;
    std::optional<std::string> blocked_address;
    OutboundResponse response;
    std::array<char, CURL_ERROR_SIZE> error{};
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
    auto& transfer = *static_cast<Transfer*>(user);
    const size_t total = size * count;
    const size_t room = transfer.max_body - std::min(transfer.max_body, transfer.response.body.size());
    const size_t take = std::min(total, room);
    transfer.response.body.append(data, take);
    if (take < total) {
        transfer.response.truncated = true;
        return 0;  // stops the transfer; Send returns what arrived
    }
    return total;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
    auto& transfer = *static_cast<Transfer*>(user);
    const size_t total = size * count;
    transfer.header_bytes += total;
    if (transfer.header_bytes > kMaxHeaderBytes) {
        transfer.headers_too_large = true;
        return 0;
    }
    const std::string_view line(data, total);
    auto& headers = transfer.response.headers;
    if (line.starts_with("HTTP/")) {
        headers.clear();  // an interim response (100 Continue) came first
    } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
        headers.back().second += " " + std::string(strings::Trim(line));  // obsolete line folding
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        headers.emplace_back(strings::Trim(line.substr(0, colon)), strings::Trim(line.substr(colon + 1)));
    }
    return total;
}

// Defence in depth: whatever curl ends up connecting to (a pin that did not match, a resolver it
// consulted after all) passes the same policy, or no socket is opened.
curl_socket_t OpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto& transfer = *static_cast<Transfer*>(user);
    const auto ip = IpAddress::FromSockaddr(&address->addr);
    const bool allowed = purpose == CURLSOCKTYPE_IPCXN && ip && transfer.policy->Allows(*ip) &&
                         (!transfer.plain_http || transfer.policy->AllowsPlainHttp(*ip));
    if (!allowed) {
        transfer.blocked_address = ip ? ip->ToString() : "a non-IP address";
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

/// "-host:port" drops what an earlier call pinned on this handle; the new entry pins this call's
/// checked addresses. curl may look the name up with or without a trailing dot, so both are pinned.
Slist PinnedResolveList(const Target& target) {
    Slist list;
    if (target.literal) return list;
    std::string addresses;
    for (const auto& address : target.addresses) {
        if (!addresses.empty()) addresses += ',';
        addresses += address.IsV4() ? address.ToString() : "[" + address.ToString() + "]";
    }
    std::string bare = target.host;
    while (!bare.empty() && bare.back() == '.') bare.pop_back();
    for (const std::string& name : {bare, bare + "."}) {
        const std::string key = name + ":" + std::to_string(target.port);
        Append(list, "-" + key);
        Append(list, std::string(key).append(":").append(addresses));
    }
    return list;
}

bool HasHeader(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return strings::EqualsIgnoreCase(h.first, name); });
}

Slist HeaderList(const std::vector<std::pair<std::string, std::string>>& headers) {
    Slist list;
    for (const auto& [name, value] : headers) {
        // "Name;" is how curl sends a header with an empty value.
        Append(list, value.empty() ? name + ";" : std::string(name).append(": ").append(value));
    }
    if (!HasHeader(headers, "User-Agent")) Append(list, kUserAgentHeader);
    // curl would otherwise wait up to a second for "100 Continue" before sending larger bodies.
    if (!HasHeader(headers, "Expect")) Append(list, "Expect:");
    return list;
}

void SetMethodAndBody(CURL* easy, const std::string& method, const std::string& body) {
    const bool sends_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (method == "HEAD") {
        SetOption(easy, CURLOPT_NOBODY, 1L);
    } else if (!sends_body) {
        SetOption(easy, CURLOPT_HTTPGET, 1L);
        if (method != "GET") SetOption(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else {
        SetOption(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        SetOption(easy, CURLOPT_POSTFIELDS, body.data());
        if (method != "POST") SetOption(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

void SetSafetyOptions(CURL* easy, const Target& target) {
    SetOption(easy, CURLOPT_PROTOCOLS_STR, target.scheme.c_str());
    SetOption(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SetOption(easy, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed by Send, through the guard
    // A proxy would resolve and connect on our behalf, out of reach of the guard (and the
    // environment's http_proxy must not redirect tenant traffic).
    SetOption(easy, CURLOPT_PROXY, "");
    SetOption(easy, CURLOPT_NOPROXY, "*");
    SetOption(easy, CURLOPT_NOSIGNAL, 1L);
    SetOption(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    SetOption(easy, CURLOPT_SSL_VERIFYHOST, 2L);
}

EgressErrorKind KindOf(CURLcode code) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return EgressErrorKind::kTimeout;
        case CURLE_COULDNT_RESOLVE_HOST:
            return EgressErrorKind::kDnsFailure;
        case CURLE_COULDNT_CONNECT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return EgressErrorKind::kConnectFailed;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CLIENTCERT:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
            return EgressErrorKind::kTls;
        default:
            return EgressErrorKind::kOther;
    }
}

/// Request parameters that stay the same across redirect hops.
struct Hop {
    const std::string* method;
    const std::string* body;
    const std::vector<std::pair<std::string, std::string>>* headers;
    std::chrono::milliseconds connect_timeout;
    Clock::time_point deadline;
    size_t max_body;
};

void ThrowOnFailure(CURLcode rc, const Transfer& transfer, const Target& target) {
    if (transfer.blocked_address) {
        Fail(EgressErrorKind::kBlockedAddress, target.Origin() + ": refused to connect to " +
                                                   *transfer.blocked_address + " (not allowed by the egress policy)");
    }
    if (transfer.headers_too_large) {
        Fail(EgressErrorKind::kResponseTooLarge, target.Origin() + ": response headers exceed 64 KiB");
    }
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && transfer.response.truncated)) return;
    const std::string detail = transfer.error[0] != '\0' ? transfer.error.data() : curl_easy_strerror(rc);
    Fail(KindOf(rc), target.Origin() + ": " + detail);
}

OutboundResponse Perform(CURL* easy, const EgressPolicy& policy, const Target& target, const Hop& hop) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(hop.deadline - Clock::now());
    if (remaining.count() <= 0) Fail(EgressErrorKind::kTimeout, target.Origin() + ": deadline passed before sending");

    Transfer transfer;
    transfer.policy = &policy;
    transfer.plain_http = target.PlainHttp();
    transfer.max_body = hop.max_body;
    const Slist resolve = PinnedResolveList(target);
    const Slist headers = HeaderList(*hop.headers);

    curl_easy_reset(easy);  // keeps the handle's connections, drops every option of the last call
    SetSafetyOptions(easy, target);
    SetOption(easy, CURLOPT_CURLU, target.url.get());
    if (resolve) SetOption(easy, CURLOPT_RESOLVE, resolve.get());
    SetOption(easy, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
    SetOption(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(&transfer));
    SetOption(easy, CURLOPT_WRITEFUNCTION, &WriteBody);
    SetOption(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
    SetOption(easy, CURLOPT_HEADERFUNCTION, &ReadHeader);
    SetOption(easy, CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
    SetOption(easy, CURLOPT_ERRORBUFFER, transfer.error.data());
    SetOption(easy, CURLOPT_HTTPHEADER, headers.get());
    SetOption(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
    SetOption(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(remaining, hop.connect_timeout).count()));
    SetMethodAndBody(easy, *hop.method, *hop.body);

    const CURLcode rc = curl_easy_perform(easy);
    ThrowOnFailure(rc, transfer, target);

    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    transfer.response.status = static_cast<int>(status);
    char* primary_ip = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &primary_ip) == CURLE_OK && primary_ip != nullptr) {
        transfer.response.remote_address = primary_ip;
    }
    return std::move(transfer.response);
}

// ---- Requests and redirects ------------------------------------------------------------------

bool IsToken(std::string_view text) {
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
    });
}

// Methods and headers often come from tenant configuration (workflow actions); a line break in
// them would smuggle a second request or header. Values are never echoed: they may be secrets.
void ValidateRequest(const OutboundRequest& request) {
    if (!IsToken(request.method)) Fail(EgressErrorKind::kOther, "invalid HTTP method");
    for (const auto& [name, value] : request.headers) {
        if (!IsToken(name)) Fail(EgressErrorKind::kOther, "invalid header name");
        if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            Fail(EgressErrorKind::kOther, "header " + name + " has a line break in its value");
        }
    }
}

bool IsFollowableRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool IsCredentialHeader(std::string_view name) {
    return strings::EqualsIgnoreCase(name, "Authorization") || strings::EqualsIgnoreCase(name, "Cookie") ||
           strings::EqualsIgnoreCase(name, "Proxy-Authorization");
}

}  // namespace

// ---- OutboundResponse, EgressError -----------------------------------------------------------

std::optional<std::string> OutboundResponse::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (strings::EqualsIgnoreCase(key, name)) return value;
    }
    return std::nullopt;
}

const char* EgressError::KindName(EgressErrorKind kind) {
    switch (kind) {
        case EgressErrorKind::kInvalidUrl:
            return "invalid_url";
        case EgressErrorKind::kSchemeNotAllowed:
            return "scheme_not_allowed";
        case EgressErrorKind::kBlockedAddress:
            return "blocked_address";
        case EgressErrorKind::kDnsFailure:
            return "dns_failure";
        case EgressErrorKind::kConnectFailed:
            return "connect_failed";
        case EgressErrorKind::kTimeout:
            return "timeout";
        case EgressErrorKind::kTls:
            return "tls";
        case EgressErrorKind::kResponseTooLarge:
            return "response_too_large";
        case EgressErrorKind::kTooManyRedirects:
            return "too_many_redirects";
        case EgressErrorKind::kOther:
            return "other";
    }
    return "other";
}

bool EgressError::IsRetryable(EgressErrorKind kind) {
    return kind == EgressErrorKind::kDnsFailure || kind == EgressErrorKind::kConnectFailed ||
           kind == EgressErrorKind::kTimeout;
}

// ---- OutboundClient --------------------------------------------------------------------------

struct OutboundClient::State {
    State(EgressPolicy operator_trusted, EgressPolicy tenant_trusted)
        : operator_policy(std::move(operator_trusted)), tenant_policy(std::move(tenant_trusted)) {}

    const EgressPolicy& PolicyFor(Trust trust) const {
        return trust == Trust::kOperator ? operator_policy : tenant_policy;
    }

    EasyHandle Acquire() {
        {
            const std::lock_guard lock(mutex);
            if (!idle.empty()) {
                EasyHandle easy = std::move(idle.back());
                idle.pop_back();
                return easy;
            }
        }
        EasyHandle easy(curl_easy_init());
        if (!easy) throw std::bad_alloc();
        return easy;
    }

    void Release(EasyHandle easy) {
        // The options still point into the finished call (error buffer, callback data, the URL);
        // closing a pooled connection later must not write through them.
        curl_easy_reset(easy.get());
        const std::lock_guard lock(mutex);
        if (idle.size() < kMaxIdleHandles) idle.push_back(std::move(easy));
    }

    const EgressPolicy operator_policy;
    const EgressPolicy tenant_policy;
    std::mutex mutex;
    std::vector<EasyHandle> idle;  // guarded by mutex
};

namespace {

/// An easy handle borrowed from the pool for one Send, returned with its live connections.
template <typename Pool>
class Lease final {
  public:
    explicit Lease(Pool& pool) : pool_(pool), easy_(pool.Acquire()) {}
    ~Lease() { pool_.Release(std::move(easy_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&&) = delete;
    Lease& operator=(Lease&&) = delete;
    CURL* get() const { return easy_.get(); }

  private:
    Pool& pool_;
    EasyHandle easy_;
};

}  // namespace

OutboundClient::OutboundClient(EgressPolicy operator_policy, EgressPolicy tenant_policy)
    : state_(std::make_unique<State>(std::move(operator_policy), std::move(tenant_policy))) {
    InitCurlOnce();
}

OutboundClient::~OutboundClient() = default;
OutboundClient::OutboundClient(OutboundClient&&) noexcept = default;
OutboundClient& OutboundClient::operator=(OutboundClient&&) noexcept = default;

const EgressPolicy& OutboundClient::policy(Trust trust) const {
    return state_->PolicyFor(trust);
}

void OutboundClient::CheckUrl(const std::string& url, Trust trust) const {
    (void)Prepare(state_->PolicyFor(trust), ParseUrl(url));
}

OutboundResponse OutboundClient::Send(const OutboundRequest& request, Trust trust) const {
    const auto start = Clock::now();
    observability::Span span = observability::Span::StartChild(request.method, observability::SpanKind::kClient);
    const auto seconds = [&start] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    if (span.recording()) {
        span.SetAttribute("http.request.method", request.method);
        // Only the origin: paths and queries may carry a tenant's secrets (a webhook URL's token).
        if (const auto origin = observability::OriginOf(request.url)) {
            span.SetAttribute("url.scheme", origin->scheme);
            span.SetAttribute("server.address", origin->host);
            if (origin->port) span.SetAttribute("server.port", *origin->port);
            span.SetAttribute("kiln.outbound.origin", origin->ToString());
        }
        span.SetAttribute("kiln.outbound.purpose", request.purpose);
        span.SetAttribute("kiln.outbound.trust", TrustName(trust));
    }
    try {
        OutboundResponse response;
        if (span.context().valid() && !HasHeader(request.headers, "traceparent")) {
            OutboundRequest traced = request;
            traced.headers.emplace_back("traceparent", span.context().Traceparent());
            if (!span.context().tracestate.empty())
                traced.headers.emplace_back("tracestate", span.context().tracestate);
            response = Transfer(traced, state_->PolicyFor(trust));
        } else {
            response = Transfer(request, state_->PolicyFor(trust));
        }
        const char* outcome = "success";
        if (response.status >= 500) {
            outcome = "server_error";
        } else if (response.status >= 400) {
            outcome = "client_error";
        }
        observability::Metrics::Instance().OutboundCall(request.purpose, outcome, seconds());
        span.SetAttribute("http.response.status_code", int64_t{response.status});
        if (response.status >= 400) span.SetError("HTTP " + std::to_string(response.status));
        return response;
    } catch (const EgressError& e) {
        observability::Metrics::Instance().OutboundCall(request.purpose, EgressError::KindName(e.kind()), seconds());
        span.SetAttribute("error.type", EgressError::KindName(e.kind()));
        span.SetError(e.what());
        throw;
    }
}

OutboundResponse OutboundClient::Transfer(const OutboundRequest& request, const EgressPolicy& policy) const {
    const auto start = Clock::now();
    ValidateRequest(request);
    Target target = Prepare(policy, ParseUrl(request.url));

    std::string method = request.method;
    const std::string no_body;
    Hop hop{&method,
            &request.body,
            &request.headers,
            request.connect_timeout,
            start + request.timeout,
            request.max_response_bytes};
    std::vector<std::pair<std::string, std::string>> redirect_headers;
    const Lease<State> easy(*state_);

    for (int redirects = 0;; ++redirects) {
        OutboundResponse response = Perform(easy.get(), policy, target, hop);
        const auto location = response.Header("Location");
        if (!request.follow_redirects || !IsFollowableRedirect(response.status) || !location) {
            response.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
            return response;
        }
        if (redirects >= request.max_redirects) {
            Fail(EgressErrorKind::kTooManyRedirects,
                 target.Origin() + ": more than " + std::to_string(request.max_redirects) + " redirects");
        }
        // Each hop is a new URL from the remote side, so it goes through the whole guard again.
        Target next = Prepare(policy, ParseUrl(*location, target.url.get()));
        // What browsers and curl do: 303, and 301/302 after POST, continue as a body-less GET.
        if (response.status == 303 || ((response.status == 301 || response.status == 302) && method == "POST")) {
            if (method != "HEAD") method = "GET";
            hop.body = &no_body;
        }
        // Credentials were meant for the first origin only.
        if (next.Origin() != target.Origin()) {
            redirect_headers = *hop.headers;
            std::erase_if(redirect_headers, [](const auto& h) { return IsCredentialHeader(h.first); });
            hop.headers = &redirect_headers;
        }
        target = std::move(next);
    }
}

}  // namespace kiln::egress
