#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "egress/egress_policy.hpp"

namespace kiln::egress {

struct OutboundRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// The whole call: every redirect hop and its connection share this deadline.
    std::chrono::milliseconds timeout{15000};
    std::chrono::milliseconds connect_timeout{5000};
    size_t max_response_bytes = size_t{1} << 20;
    bool follow_redirects = false;
    int max_redirects = 3;
    /// What the call is for, a value the code chooses: "webhook", "workflow", a provider name
    /// ("stripe"), or "other". The `purpose` label of kiln_outbound_requests_total — never a URL
    /// or a tenant's value.
    std::string purpose = "other";
};

struct OutboundResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool truncated = false;  // the body stopped at max_response_bytes
    std::chrono::microseconds latency{};
    std::string remote_address;  // the address actually connected to

    /// The first header of that name, compared without regard to ASCII case.
    std::optional<std::string> Header(std::string_view name) const;
};

enum class EgressErrorKind {
    kInvalidUrl,
    kSchemeNotAllowed,
    kBlockedAddress,
    kDnsFailure,
    kConnectFailed,
    kTimeout,
    kTls,
    kResponseTooLarge,  // the response headers exceeded their limit (bodies are truncated instead)
    kTooManyRedirects,
    kOther,
};

/// Why an outbound call did not produce a response. Messages name the URL's host and the
/// address, never header values.
class EgressError final : public std::runtime_error {
  public:
    EgressError(EgressErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

    EgressErrorKind kind() const noexcept { return kind_; }
    /// "blocked_address", "timeout", …: stable names for logs, metrics and delivery records.
    static const char* KindName(EgressErrorKind kind);
    /// Worth trying again later (DNS, connection, timeout); the rest fail the same way every time.
    static bool IsRetryable(EgressErrorKind kind);

  private:
    EgressErrorKind kind_;
};

/// The product's one way to call out over HTTP (webhooks, integrations, workflow actions, plugins),
/// with the SSRF guard: each host is resolved once, every address is checked against the policy of
/// the destination's trust class, the connection is pinned to the checked addresses, and the socket
/// curl opens is checked again. Thread-safe; connections are reused across calls.
class OutboundClient final {
  public:
    /// `operator_policy` judges destinations the operator configured, `tenant_policy` those a
    /// tenant chose (by default nothing internal, https only).
    explicit OutboundClient(EgressPolicy operator_policy, EgressPolicy tenant_policy = EgressPolicy{});
    ~OutboundClient();
    OutboundClient(OutboundClient&& other) noexcept;
    OutboundClient& operator=(OutboundClient&& other) noexcept;
    OutboundClient(const OutboundClient&) = delete;
    OutboundClient& operator=(const OutboundClient&) = delete;

    /// Checks a URL without sending anything (save-time validation of webhook/workflow URLs): parses
    /// it, checks the scheme, resolves the host once and checks every address against the policy of
    /// `trust`. Throws EgressError.
    void CheckUrl(const std::string& url, Trust trust) const;

    /// Sends the request to a destination of the `trust` class (its redirects are judged the same).
    /// Any HTTP status is a response; throws EgressError when there is none. Inside a traced request
    /// or job the call is a client span, and the `traceparent` header carries it to the remote side;
    /// every call counts in the outbound metrics.
    OutboundResponse Send(const OutboundRequest& request, Trust trust) const;

    const EgressPolicy& policy(Trust trust) const;

  private:
    OutboundResponse Transfer(const OutboundRequest& request, const EgressPolicy& policy) const;

    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace kiln::egress
