#include "modules/audit/audit_repository.hpp"

#include <map>

#include "core/crypto.hpp"
#include "core/uuid.hpp"

namespace kiln::audit {

namespace {

constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr int64_t kSha256Version = 1;  // rows written before migration 0016
constexpr int64_t kHmacVersion = 2;

constexpr std::string_view kInsertHead =
    "INSERT INTO audit_chain_heads (tenant_id, seq, hash, keyed_from_seq) VALUES ($1, 0, $2, 1)";
constexpr std::string_view kSelectHeadSqlite =
    "SELECT seq, hash, keyed_from_seq, head_mac, head_key_id FROM audit_chain_heads WHERE tenant_id = $1";
constexpr std::string_view kSelectHeadPostgres =
    "SELECT seq, hash, keyed_from_seq, head_mac, head_key_id FROM audit_chain_heads WHERE tenant_id = $1 FOR UPDATE";
constexpr std::string_view kUpdateHead =
    "UPDATE audit_chain_heads SET seq = $2, hash = $3, head_mac = $4, head_key_id = $5 WHERE tenant_id = $1";
constexpr std::string_view kSelectHeads = "SELECT tenant_id FROM audit_chain_heads ORDER BY tenant_id";
constexpr std::string_view kInsertLog = R"sql(
    INSERT INTO audit_logs (tenant_id, id, seq, actor_type, actor_id, action, entity_type, entity_id, changes,
                            request_id, client_ip, user_agent, created_at, prev_hash, hash, hash_version, key_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))sql";
constexpr std::string_view kResign =
    "UPDATE audit_logs SET prev_hash = $3, hash = $4, key_id = $5 WHERE tenant_id = $1 AND seq = $2";
constexpr std::string_view kSelectRowHash = "SELECT hash FROM audit_logs WHERE tenant_id = $1 AND seq = $2";
constexpr std::string_view kSelectCheckpoint =
    "SELECT seq, hash, mac, key_id FROM audit_verifications WHERE tenant_id = $1";
constexpr std::string_view kUpsertCheckpoint = R"sql(
    INSERT INTO audit_verifications (tenant_id, seq, hash, mac, key_id, verified_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac,
                                          key_id = excluded.key_id, verified_at = excluded.verified_at)sql";

// Optional filters as "($n IS NULL OR column = $n)": one prepared statement serves every
// combination of filters.
constexpr std::string_view kList = R"sql(
    SELECT id, seq, actor_type, actor_id, action, entity_type, entity_id, changes, request_id, client_ip, user_agent,
           created_at, prev_hash, hash, hash_version
    FROM audit_logs
    WHERE tenant_id = $1
      AND ($2 IS NULL OR entity_type = $2)
      AND ($3 IS NULL OR entity_id = $3)
      AND ($4 IS NULL OR actor_id = $4)
      AND ($5 IS NULL OR action = $5)
      AND ($6 IS NULL OR created_at >= $6)
      AND ($7 IS NULL OR created_at < $7)
      AND ($8 IS NULL OR id < $8)
    ORDER BY id DESC
    LIMIT $9)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, seq, actor_type, actor_id, action, entity_type, entity_id, changes, request_id, client_ip, user_agent,
           created_at, prev_hash, hash, hash_version
    FROM audit_logs
    WHERE tenant_id = $1
      AND ($2::text IS NULL OR entity_type = $2)
      AND ($3::text IS NULL OR entity_id = $3)
      AND ($4::text IS NULL OR actor_id = $4)
      AND ($5::text IS NULL OR action = $5)
      AND ($6::timestamptz IS NULL OR created_at >= $6)
      AND ($7::timestamptz IS NULL OR created_at < $7)
      AND ($8::uuid IS NULL OR id < $8)
    ORDER BY id DESC
    LIMIT $9)sql";
constexpr std::string_view kWalk = R"sql(
    SELECT id, seq, actor_type, actor_id, action, entity_type, entity_id, changes, request_id, client_ip, user_agent,
           created_at, prev_hash, hash, hash_version, key_id
    FROM audit_logs WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000)sql";

/// The hashed content: every stored field in a fixed order, in a canonical JSON form that both
/// databases reproduce on read (JSONB reorders keys; the parsed-and-dumped form does not care).
/// Version 1 (before migration 0016): plain SHA-256 of it.
std::string Sha256RowHash(const std::string& tenant, int64_t seq, const nlohmann::json& fields,
                          const std::string& prev_hash) {
    const nlohmann::json content = {tenant, seq, fields, prev_hash};
    return crypto::Sha256Hex(content.dump());
}

/// Version 2: HMAC-SHA256 under the tenant's audit key; the version tag keeps a v2 content from
/// ever being read as a v1 one.
std::string HmacRowHash(const std::string& key, const std::string& tenant, int64_t seq, const nlohmann::json& fields,
                        const std::string& prev_hash) {
    const nlohmann::json content = {"kiln-audit-row-v2", tenant, seq, fields, prev_hash};
    return crypto::HexEncode(crypto::HmacSha256(key, content.dump()));
}

std::string HeadMac(const std::string& key, const std::string& tenant, int64_t seq, const std::string& hash,
                    int64_t keyed_from_seq) {
    const nlohmann::json content = {"kiln-audit-head", tenant, seq, hash, keyed_from_seq};
    return crypto::HexEncode(crypto::HmacSha256(key, content.dump()));
}

std::string CheckpointMac(const std::string& key, const std::string& tenant, int64_t seq, const std::string& hash) {
    const nlohmann::json content = {"kiln-audit-verified", tenant, seq, hash};
    return crypto::HexEncode(crypto::HmacSha256(key, content.dump()));
}

std::string KeyLabel(const TenantId& tenant) {
    return "kiln-audit:" + tenant.str();
}

/// The tenant's audit keys by master key id, derived once per walk.
class TenantKeys final {
  public:
    TenantKeys(const SecretVault& vault, const TenantId& tenant) : vault_(vault), label_(KeyLabel(tenant)) {}
    const std::string* Find(const std::string& key_id) {
        auto it = keys_.find(key_id);
        if (it == keys_.end()) it = keys_.emplace(key_id, vault_.DeriveKeyWith(key_id, label_)).first;
        return it->second ? &*it->second : nullptr;
    }

  private:
    const SecretVault& vault_;
    std::string label_;
    std::map<std::string, std::optional<std::string>> keys_;
};

struct Head {
    int64_t seq = 0;
    std::string hash;
    int64_t keyed_from_seq = 1;
    std::optional<std::string> mac;
    std::optional<std::string> key_id;
};

std::optional<Head> ReadHead(const db::TenantScope& scope, bool lock) {
    const bool postgres = scope.tx().dialect() == db::Dialect::kPostgres;
    const auto rows = scope.Exec(lock && postgres ? kSelectHeadPostgres : kSelectHeadSqlite, {scope.tenant()});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    return Head{row.Get<int64_t>("seq"), row.Get<std::string>("hash"), row.Get<int64_t>("keyed_from_seq"),
                row.GetOptional<std::string>("head_mac"), row.GetOptional<std::string>("head_key_id")};
}

void WriteHead(const db::TenantScope& scope, const SecretVault& vault, int64_t seq, const std::string& hash,
               int64_t keyed_from_seq) {
    const std::string key = vault.DeriveKey(KeyLabel(scope.tenant()));
    scope.Exec(kUpdateHead, {scope.tenant(), seq, hash, HeadMac(key, scope.tenant().str(), seq, hash, keyed_from_seq),
                             vault.key_id()});
}

nlohmann::json HashedFields(const std::string& actor_type, const std::string& actor_id, const std::string& action,
                            const std::string& entity_type, const std::string& entity_id, const nlohmann::json& changes,
                            const std::string& request_id, const std::string& client_ip, const std::string& user_agent,
                            const std::string& created_at) {
    return {actor_type, actor_id,   action,    entity_type, entity_id,
            changes,    request_id, client_ip, user_agent,  created_at};
}

std::string Text(const db::Row& row, std::string_view column) {
    return row.GetOptional<std::string>(column).value_or("");
}

nlohmann::json FieldsOf(const db::Row& row) {
    return HashedFields(row.Get<std::string>("actor_type"), Text(row, "actor_id"), row.Get<std::string>("action"),
                        row.Get<std::string>("entity_type"), Text(row, "entity_id"), row.Get<nlohmann::json>("changes"),
                        Text(row, "request_id"), Text(row, "client_ip"), Text(row, "user_agent"),
                        FormatTimestamp(row.Get<Timestamp>("created_at")));
}

nlohmann::json ToJson(const db::Row& row) {
    auto nullable = [&](std::string_view column) -> nlohmann::json {
        auto v = row.GetOptional<std::string>(column);
        return v && !v->empty() ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    return {
        {"id", row.Get<std::string>("id")},
        {"seq", row.Get<int64_t>("seq")},
        {"actor_type", row.Get<std::string>("actor_type")},
        {"actor_id", nullable("actor_id")},
        {"action", row.Get<std::string>("action")},
        {"entity_type", row.Get<std::string>("entity_type")},
        {"entity_id", nullable("entity_id")},
        {"changes", row.Get<nlohmann::json>("changes")},
        {"request_id", nullable("request_id")},
        {"client_ip", nullable("client_ip")},
        {"user_agent", nullable("user_agent")},
        {"created_at", FormatTimestamp(row.Get<Timestamp>("created_at"))},
        {"prev_hash", row.Get<std::string>("prev_hash")},
        {"hash", row.Get<std::string>("hash")},
        {"hash_version", row.Get<int64_t>("hash_version")},
    };
}

}  // namespace

void AuditRepository::StartChain(db::Transaction& tx, const TenantId& tenant) {
    tx.Exec(kInsertHead, {tenant, std::string(kGenesisHash)});
}

void AuditRepository::Append(const db::TenantScope& scope, const SecretVault& vault, const http::AuditEvent& e) {
    const auto head = ReadHead(scope, true);
    if (!head) throw std::logic_error("tenant has no audit chain head");
    const int64_t seq = head->seq + 1;
    const std::string created_at = FormatTimestamp(Now());
    const nlohmann::json changes = e.changes.is_object() ? e.changes : nlohmann::json::object();
    const auto fields = HashedFields(e.actor_type, e.actor_id, e.action, e.entity_type, e.entity_id, changes,
                                     e.request_id, e.client_ip, e.user_agent, created_at);
    const std::string key = vault.DeriveKey(KeyLabel(scope.tenant()));
    const std::string hash = HmacRowHash(key, scope.tenant().str(), seq, fields, head->hash);
    auto text_or_null = [](const std::string& s) { return s.empty() ? db::Param(nullptr) : db::Param(s); };
    scope.Exec(kInsertLog,
               {scope.tenant(), NewUuidV7(), seq, e.actor_type, text_or_null(e.actor_id), e.action, e.entity_type,
                text_or_null(e.entity_id), changes.dump(), text_or_null(e.request_id), text_or_null(e.client_ip),
                text_or_null(e.user_agent), created_at, head->hash, hash, kHmacVersion, vault.key_id()});
    WriteHead(scope, vault, seq, hash, head->keyed_from_seq);
}

nlohmann::json AuditRepository::List(const db::TenantScope& scope, const AuditFilter& f) {
    const bool postgres = scope.tx().dialect() == db::Dialect::kPostgres;
    const auto rows = scope.Exec(
        postgres ? kListPostgres : kList,
        {scope.tenant(), f.entity_type, f.entity_id, f.actor_id, f.action, f.since, f.until, f.before_id, f.limit + 1});
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : rows) items.push_back(ToJson(row));
    return items;
}

namespace {

/// Walks the rows after `result.last_seq` (whose hash is `result.last_hash`), checking each link,
/// version and hash; `visit(row, hash)` sees every row that holds. Stops at the first broken row.
template <typename Visit>
void WalkRows(const db::TenantScope& scope, TenantKeys& keys, int64_t keyed_from_seq, ChainVerification& result,
              Visit&& visit) {
    const std::string tenant = scope.tenant().str();
    while (true) {
        const auto rows = scope.Exec(kWalk, {scope.tenant(), result.last_seq});
        if (rows.empty()) return;
        for (const auto& row : rows) {
            const auto seq = row.Get<int64_t>("seq");
            const auto fail = [&](std::string reason) {
                result.ok = false;
                result.broken_seq = seq;
                result.reason = std::move(reason);
            };
            if (seq != result.last_seq + 1)
                return fail("sequence gap: expected " + std::to_string(result.last_seq + 1));
            if (row.Get<std::string>("prev_hash") != result.last_hash)
                return fail("prev_hash does not match the previous row");
            const auto version = row.Get<int64_t>("hash_version");
            std::string hash;
            if (seq >= keyed_from_seq) {
                // A row written since the switch that claims the old, unkeyed form is a forgery.
                if (version != kHmacVersion)
                    return fail("row is not HMAC-signed, but the chain is keyed from seq " +
                                std::to_string(keyed_from_seq));
                const auto key_id = row.GetOptional<std::string>("key_id").value_or("");
                const std::string* key = keys.Find(key_id);
                if (key == nullptr) return fail("row was signed under master key " + key_id + ", which is not loaded");
                hash = HmacRowHash(*key, tenant, seq, FieldsOf(row), result.last_hash);
            } else {
                if (version != kSha256Version) return fail("row claims an HMAC before the chain was keyed");
                hash = Sha256RowHash(tenant, seq, FieldsOf(row), result.last_hash);
            }
            if (!crypto::ConstantTimeEquals(hash, row.Get<std::string>("hash")))
                return fail("row content does not match its hash");
            visit(row, hash);
            result.last_seq = seq;
            result.last_hash = hash;
            ++result.checked;
        }
    }
}

/// Continues from the stored checkpoint when its MAC holds and its row is unchanged. A checkpoint
/// that does not hold is ignored (the walk starts from the beginning and judges the rows); a
/// verified row that changed since is reported.
void StartFromCheckpoint(const db::TenantScope& scope, TenantKeys& keys, const Head& head, ChainVerification& result) {
    const auto rows = scope.Exec(kSelectCheckpoint, {scope.tenant()});
    if (rows.empty()) return;
    const auto seq = rows.front().Get<int64_t>("seq");
    const auto hash = rows.front().Get<std::string>("hash");
    const std::string* key = keys.Find(rows.front().Get<std::string>("key_id"));
    if (key == nullptr || seq > head.seq ||
        !crypto::ConstantTimeEquals(CheckpointMac(*key, scope.tenant().str(), seq, hash),
                                    rows.front().Get<std::string>("mac")))
        return;
    const auto row = scope.Exec(kSelectRowHash, {scope.tenant(), seq});
    if (row.empty() || row.front().Get<std::string>("hash") != hash) {
        result.ok = false;
        result.broken_seq = seq;
        result.reason = "row changed after it was verified";
        return;
    }
    result.from_seq = result.last_seq = seq;
    result.last_hash = hash;
}

/// The head must name the last row, and (once anything is keyed) carry a MAC that holds.
void CheckHead(const db::TenantScope& scope, TenantKeys& keys, const Head& head, ChainVerification& result) {
    const auto fail = [&](int64_t seq, std::string reason) {
        result.ok = false;
        result.broken_seq = seq;
        result.reason = std::move(reason);
    };
    if (head.seq != result.last_seq)
        return fail(result.last_seq + 1, head.seq > result.last_seq
                                             ? "rows after seq " + std::to_string(result.last_seq) + " are missing"
                                             : "rows after the chain head's seq " + std::to_string(head.seq));
    if (head.hash != result.last_hash) return fail(head.seq, "the chain head does not match the last row");
    if (!head.mac) {
        // Only a chain that has not had a row since the switch may have an unsigned head.
        if (head.keyed_from_seq <= head.seq) fail(head.seq, "the chain head is not signed");
        return;
    }
    const std::string* key = keys.Find(head.key_id.value_or(""));
    if (key == nullptr || !crypto::ConstantTimeEquals(
                              HeadMac(*key, scope.tenant().str(), head.seq, head.hash, head.keyed_from_seq), *head.mac))
        fail(head.seq, "the chain head's MAC does not hold");
}

}  // namespace

ChainVerification AuditRepository::Verify(const db::TenantScope& scope, const SecretVault& vault, bool full) {
    ChainVerification result;
    result.last_hash = kGenesisHash;
    const auto head = ReadHead(scope, false);
    if (!head) return result;
    TenantKeys keys(vault, scope.tenant());
    if (!full) StartFromCheckpoint(scope, keys, *head, result);
    if (!result.ok) return result;
    WalkRows(scope, keys, head->keyed_from_seq, result, [](const db::Row&, const std::string&) {});
    if (result.ok) CheckHead(scope, keys, *head, result);
    return result;
}

void AuditRepository::StoreCheckpoint(const db::TenantScope& scope, const SecretVault& vault,
                                      const ChainVerification& result) {
    if (!result.ok || result.last_seq == 0) return;
    const std::string key = vault.DeriveKey(KeyLabel(scope.tenant()));
    scope.Exec(kUpsertCheckpoint,
               {scope.tenant(), result.last_seq, result.last_hash,
                CheckpointMac(key, scope.tenant().str(), result.last_seq, result.last_hash), vault.key_id(), Now()});
}

size_t AuditRepository::Rekey(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t resigned = 0;
    for (const auto& tenant_row : system_tx.Exec(kSelectHeads)) {
        const TenantId tenant(tenant_row.Get<std::string>("tenant_id"));
        const db::TenantScope scope(system_tx, tenant);
        const auto verified = Verify(scope, current, true);
        if (!verified.ok)
            throw std::runtime_error("the audit chain of tenant " + tenant.str() + " does not verify (seq " +
                                     std::to_string(verified.broken_seq.value_or(0)) + ": " + verified.reason +
                                     "); it is not re-signed under the new key, so the rotation stops here");
        const auto head = ReadHead(scope, true);
        const std::string key = next.DeriveKey(KeyLabel(tenant));
        // Re-signing a row changes its hash, so every later row's link changes too.
        std::string prev(kGenesisHash);
        ChainVerification walk;
        walk.last_hash = kGenesisHash;
        TenantKeys keys(current, tenant);
        WalkRows(scope, keys, head->keyed_from_seq, walk, [&](const db::Row& row, const std::string& hash) {
            const auto seq = row.Get<int64_t>("seq");
            if (seq < head->keyed_from_seq) {
                prev = hash;
                return;
            }
            const std::string resigned_hash = HmacRowHash(key, tenant.str(), seq, FieldsOf(row), prev);
            scope.Exec(kResign, {tenant, seq, prev, resigned_hash, next.key_id()});
            prev = resigned_hash;
            ++resigned;
        });
        if (!walk.ok)
            throw std::runtime_error("the audit chain of tenant " + tenant.str() + " changed while re-keying");
        WriteHead(scope, next, head->seq, prev, head->keyed_from_seq);
        StoreCheckpoint(scope, next, {.ok = true, .last_seq = head->seq, .last_hash = prev});
    }
    return resigned;
}

}  // namespace kiln::audit
