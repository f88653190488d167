#pragma once

#include <array>
#include <unordered_map>

#include "auth/authenticator.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/audit_sink.hpp"
#include "http/idempotency.hpp"
#include "http/request.hpp"
#include "http/route.hpp"
#include "observability/metrics.hpp"

namespace kiln::http {

/// The request path of DESIGN §3, in one place: request id → route → size limit →
/// authentication → tenant → permission → body validation → transaction → idempotency →
/// handler → audit → commit; any Error becomes a problem document here and nowhere else.
class Dispatcher final {
  public:
    Dispatcher(const RouteTable& routes, db::Database& db, auth::Authenticator& authenticator, AuditSink& audit,
               const IdempotencyStore& idempotency, const Config& config);

    /// Serves one request: besides the path above, the request's server span (W3C traceparent
    /// accepted), its metrics, the summary window and, when enabled, its access log line.
    Response Handle(const Request& request);

    /// KILN_ACCESS_LOG: one info line per request (on by default).
    void set_access_log(bool enabled) { access_log_ = enabled; }

  private:
    /// What Run learned that Handle reports after it: the matched route and who asked.
    struct Outcome {
        const Route* route = nullptr;
        std::string user_id;
        std::string tenant_id;
    };
    /// Per route, resolved once: metric handles must not be looked up (and locked) per request.
    struct RouteInfo {
        observability::RouteMetrics* metrics = nullptr;
        std::string full_path;  // the http.route of spans: "/api/v1/invoices/{id}"
    };

    Response Run(const Request& request, const std::string& request_id, Outcome& outcome);

    const RouteTable& routes_;
    db::Database& db_;
    auth::Authenticator& authenticator_;
    AuditSink& audit_;
    const IdempotencyStore& idempotency_;
    const Config& config_;
    bool access_log_ = true;
    std::unordered_map<const Route*, RouteInfo> route_info_;
    std::array<observability::RouteMetrics*, 5> unmatched_{};  // by Method
};

}  // namespace kiln::http
