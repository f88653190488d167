#include "http/request_context.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "core/uuid.hpp"

namespace kiln::http {

const std::string& RequestContext::Param(const std::string& name) const {
    const auto it = params_.find(name);
    if (it == params_.end()) throw std::logic_error("route has no path parameter " + name);
    return it->second;
}

NotFound RequestContext::NotFoundError() const {
    return NotFound("No " + (route_.entity_type.empty() ? std::string("object") : route_.entity_type) +
                    " with this id exists here.");
}

const std::string& RequestContext::IdParam(const std::string& name) const {
    const std::string& value = Param(name);
    if (!IsUuid(value)) throw NotFoundError();
    return value;
}

const auth::Principal& RequestContext::principal() const {
    if (!principal_) throw std::logic_error("route " + route_.path + " is public but asked for a principal");
    return *principal_;
}

const auth::TenantAccess& RequestContext::access() const {
    if (!access_) throw std::logic_error("route " + route_.path + " is not tenant-scoped but asked for a tenant");
    return *access_;
}

db::Transaction& RequestContext::tx() {
    if (!tx_) throw std::logic_error("no transaction for route " + route_.path);
    return *tx_;
}

db::Database& RequestContext::database() {
    if (!route_.own_transactions)
        throw std::logic_error("route " + route_.path + " does not manage its own transactions");
    return *database_;
}

void RequestContext::BeginWrites() {
    if (!route_.slow_io) throw std::logic_error("route " + route_.path + " is not declared slow_io");
    if (writing_) return;
    scope_.reset();
    tx_.reset();
    tx_.emplace(database_->Begin({db::Access::kReadWrite, db::Visibility::kSystem}));
    if (access_) scope_.emplace(*tx_, access_->tenant);
    writing_ = true;
}

const db::TenantScope& RequestContext::scope() {
    if (!scope_) throw std::logic_error("route " + route_.path + " is not tenant-scoped");
    return *scope_;
}

void RequestContext::Audit(std::string action, std::string entity_id, nlohmann::json changes) {
    audit_ = AuditNote{std::nullopt, std::move(action), route_.entity_type, std::move(entity_id), std::move(changes)};
}

void RequestContext::AuditInTenant(TenantId tenant, std::string action, std::string entity_id, nlohmann::json changes) {
    audit_ =
        AuditNote{std::move(tenant), std::move(action), route_.entity_type, std::move(entity_id), std::move(changes)};
}

}  // namespace kiln::http
