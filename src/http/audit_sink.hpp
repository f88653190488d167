#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "db/database.hpp"

namespace kiln::http {

/// One audited change, as the dispatcher knows it after a mutating request succeeded.
struct AuditEvent {
    std::string actor_type;  // user, api_token, system
    std::string actor_id;
    std::string action;  // e.g. "roles.create"
    std::string entity_type;
    std::string entity_id;
    nlohmann::json changes = nlohmann::json::object();  // secrets already redacted
    std::string request_id;
    std::string client_ip;
    std::string user_agent;
};

/// Where the dispatcher writes the audit row, inside the request's own transaction. Implemented
/// by the audit module; the HTTP layer only knows this interface.
class AuditSink {
  public:
    virtual ~AuditSink() = default;
    virtual void Record(const db::TenantScope& scope, const AuditEvent& event) = 0;
};

}  // namespace kiln::http
