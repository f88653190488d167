#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "http/audit_sink.hpp"

namespace kiln::audit {

struct AuditFilter {
    std::optional<std::string> entity_type, entity_id, actor_id, action;
    std::optional<Timestamp> since, until;
    std::optional<std::string> before_id;  // cursor
    int64_t limit = 50;
};

/// Result of walking a tenant's hash chain.
struct ChainVerification {
    bool ok = true;
    int64_t checked = 0;
    std::optional<int64_t> broken_seq;  // first row whose link or hash does not hold
    std::string reason;
};

/// The tamper-evident audit trail: rows appended to a per-tenant hash chain whose head row is
/// locked while appending, so concurrent writers in one tenant take turns.
class AuditRepository final {
  public:
    /// Appends one row in the caller's transaction.
    static void Append(const db::TenantScope& scope, const http::AuditEvent& event);
    /// Creates the chain head of a new tenant (seq 0, genesis hash).
    static void StartChain(db::Transaction& tx, const TenantId& tenant);
    /// Newest first; returns up to limit+1 rows (the extra one signals a next page).
    static nlohmann::json List(const db::TenantScope& scope, const AuditFilter& filter);
    static ChainVerification Verify(const db::TenantScope& scope);
};

/// Replaces values of secret-looking keys (password, token, secret, key, …) at any depth.
nlohmann::json RedactSecrets(const nlohmann::json& changes);

/// The AuditSink the dispatcher writes through.
class AuditLogSink final : public http::AuditSink {
  public:
    void Record(const db::TenantScope& scope, const http::AuditEvent& event) override {
        http::AuditEvent redacted = event;
        redacted.changes = RedactSecrets(event.changes);
        AuditRepository::Append(scope, redacted);
    }
};

}  // namespace kiln::audit
