#pragma once

#include "auth/authenticator.hpp"
#include "core/config.hpp"
#include "db/database.hpp"
#include "http/audit_sink.hpp"
#include "http/request.hpp"
#include "http/route.hpp"

namespace kiln::http {

/// The request path of DESIGN §3, in one place: request id → route → size limit →
/// authentication → tenant → permission → body validation → transaction → idempotency →
/// handler → audit → commit; any Error becomes a problem document here and nowhere else.
class Dispatcher final {
  public:
    Dispatcher(const RouteTable& routes, db::Database& db, auth::Authenticator& authenticator, AuditSink& audit,
               const Config& config)
        : routes_(routes), db_(db), authenticator_(authenticator), audit_(audit), config_(config) {}

    Response Handle(const Request& request);

  private:
    Response Run(const Request& request, const std::string& request_id, std::string& route_label);

    const RouteTable& routes_;
    db::Database& db_;
    auth::Authenticator& authenticator_;
    AuditSink& audit_;
    const Config& config_;
};

}  // namespace kiln::http
