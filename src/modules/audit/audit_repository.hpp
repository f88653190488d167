#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/redaction.hpp"
#include "core/secret_vault.hpp"
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
    int64_t from_seq = 0;               // the walk started after this row (0: from the start)
    std::optional<int64_t> broken_seq;  // first row whose link or hash does not hold
    std::string reason;
    int64_t last_seq = 0;  // the last row that held, and its hash: the next checkpoint
    std::string last_hash;
};

/// The tamper-evident audit trail: rows appended to a per-tenant chain whose head row is locked
/// while appending, so concurrent writers in one tenant take turns.
///
/// Each row's hash covers its content and the previous row's hash. Rows written since migration
/// 0016 (hash_version 2) hash with HMAC-SHA256 under a key derived per tenant from the master key
/// (SecretVault::DeriveKey("kiln-audit:<tenant id>")), so someone who can write the database but
/// does not hold the master key cannot recompute them; older rows (version 1) keep their plain
/// SHA-256. The head row carries an HMAC over (seq, hash, keyed_from_seq), so neither the tail
/// nor the point where keying began can be moved without the key.
class AuditRepository final {
  public:
    /// Appends one row in the caller's transaction.
    static void Append(const db::TenantScope& scope, const SecretVault& vault, const http::AuditEvent& event);
    /// Creates the chain head of a new tenant (seq 0, genesis hash, keyed from the first row).
    static void StartChain(db::Transaction& tx, const TenantId& tenant);
    /// Newest first; returns up to limit+1 rows (the extra one signals a next page).
    static nlohmann::json List(const db::TenantScope& scope, const AuditFilter& filter);
    /// Walks the chain. `full` walks every row; otherwise the walk continues after the last
    /// checkpoint (StoreCheckpoint) whose MAC holds.
    static ChainVerification Verify(const db::TenantScope& scope, const SecretVault& vault, bool full);
    /// Records where a successful walk ended; needs a read-write transaction.
    static void StoreCheckpoint(const db::TenantScope& scope, const SecretVault& vault,
                                const ChainVerification& result);
    /// `kiln admin rotate-master-key`: verifies every tenant's chain under `current` and re-signs
    /// its HMAC rows (and head and checkpoint) under `next`, in the caller's system transaction.
    /// Throws std::runtime_error naming the tenant when a chain does not verify: a broken chain is
    /// not re-signed, which would hide the break. Returns the rows re-signed.
    static size_t Rekey(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);
};

/// The shared redaction rule (core/redaction.hpp): secret-named keys at any depth.
using ::kiln::RedactSecrets;

/// The AuditSink the dispatcher writes through. `vault` must outlive it.
class AuditLogSink final : public http::AuditSink {
  public:
    explicit AuditLogSink(const SecretVault& vault) : vault_(vault) {}
    void Record(const db::TenantScope& scope, const http::AuditEvent& event) override {
        http::AuditEvent redacted = event;
        redacted.changes = RedactSecrets(event.changes);
        AuditRepository::Append(scope, vault_, redacted);
    }

  private:
    const SecretVault& vault_;
};

}  // namespace kiln::audit
