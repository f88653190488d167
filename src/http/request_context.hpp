#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "core/error.hpp"
#include "db/database.hpp"
#include "http/request.hpp"
#include "http/route.hpp"

namespace kiln::http {

/// What a handler asked to be written to the audit log for its change.
struct AuditNote {
    std::optional<TenantId> tenant;  // set only by platform routes that change a tenant they are not scoped to
    std::string action;
    std::string entity_type;
    std::string entity_id;
    nlohmann::json changes = nlohmann::json::object();
};

/// Everything a handler may use about the request it serves. The dispatcher fills it in:
/// identity, tenant, the validated body, and the one transaction the request runs in.
class RequestContext {
  public:
    RequestContext(const Request& request, const Route& route, std::map<std::string, std::string> params,
                   std::string request_id)
        : request_(request), route_(route), params_(std::move(params)), request_id_(std::move(request_id)) {}

    const Request& request() const { return request_; }
    const Route& route() const { return route_; }
    const std::string& request_id() const { return request_id_; }
    const nlohmann::json& body() const { return body_; }

    /// A path parameter by name, e.g. "id" for "/roles/{id}".
    const std::string& Param(const std::string& name) const;
    /// "No <entity> with this id": the id is not echoed, so the message is the same whether the
    /// object never existed or belongs to another tenant.
    NotFound NotFoundError() const;
    /// A path parameter that must be a UUID; anything else cannot name an object → NotFound.
    const std::string& IdParam(const std::string& name) const;
    /// Answers Query(name) with `value` from now on: how the dispatcher walks every page of a list it exports.
    void OverrideQuery(const std::string& name, std::string value) { query_overrides_[name] = std::move(value); }
    std::optional<std::string> Query(const std::string& name) const {
        if (const auto it = query_overrides_.find(name); it != query_overrides_.end()) return it->second;
        return request_.Query(name);
    }

    const auth::Principal& principal() const;
    const auth::TenantAccess& access() const;
    const TenantId& tenant() const { return access().tenant; }

    db::Transaction& tx();
    /// Only for routes declared with own_transactions.
    db::Database& database();
    const db::TenantScope& scope();
    /// Only for routes declared with slow_io: ends the read-only transaction the request started in
    /// and continues in a read-write one (same tenant scope). What was read before may have changed.
    void BeginWrites();

    /// Records what the handler changed; the dispatcher writes it with the commit.
    void Audit(std::string action, std::string entity_id, nlohmann::json changes = nlohmann::json::object());
    /// For platform routes (no tenant scope) whose change belongs to one tenant's audit trail.
    void AuditInTenant(TenantId tenant, std::string action, std::string entity_id, nlohmann::json changes);
    const std::optional<AuditNote>& audit_note() const { return audit_; }

  private:
    friend class Dispatcher;

    const Request& request_;
    std::map<std::string, std::string> query_overrides_;  // the pages of a list exported whole
    const Route& route_;
    std::map<std::string, std::string> params_;
    std::string request_id_;
    nlohmann::json body_;
    std::optional<auth::Principal> principal_;
    std::optional<auth::TenantAccess> access_;
    db::Database* database_ = nullptr;
    bool writing_ = false;
    std::optional<db::Transaction> tx_;
    std::optional<db::TenantScope> scope_;
    std::optional<AuditNote> audit_;
};

}  // namespace kiln::http
