#include "modules/audit/audit_repository.hpp"

#include <algorithm>
#include <cctype>

#include "core/crypto.hpp"
#include "core/uuid.hpp"

namespace kiln::audit {

namespace {

constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

constexpr std::string_view kInsertHead = "INSERT INTO audit_chain_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)";
constexpr std::string_view kSelectHeadSqlite = "SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1";
constexpr std::string_view kSelectHeadPostgres =
    "SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1 FOR UPDATE";
constexpr std::string_view kUpdateHead = "UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE tenant_id = $1";
constexpr std::string_view kInsertLog = R"sql(
    INSERT INTO audit_logs (tenant_id, id, seq, actor_type, actor_id, action, entity_type, entity_id, changes,
                            request_id, client_ip, user_agent, created_at, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15))sql";

// Optional filters as "($n IS NULL OR column = $n)": one prepared statement serves every
// combination of filters.
constexpr std::string_view kList = R"sql(
    SELECT id, seq, actor_type, actor_id, action, entity_type, entity_id, changes, request_id, client_ip, user_agent,
           created_at, prev_hash, hash
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
           created_at, prev_hash, hash
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
           created_at, prev_hash, hash
    FROM audit_logs WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000)sql";

/// The hashed content: every stored field in a fixed order, in a canonical JSON form that both
/// databases reproduce on read (JSONB reorders keys; the parsed-and-dumped form does not care).
std::string RowHash(const std::string& tenant, int64_t seq, const nlohmann::json& fields,
                    const std::string& prev_hash) {
    const nlohmann::json content = {tenant, seq, fields, prev_hash};
    return crypto::Sha256Hex(content.dump());
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
    };
}

bool IsSecretKey(std::string key) {
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    static constexpr std::string_view kMarkers[] = {"password", "secret",      "token",         "api_key",
                                                    "apikey",   "private_key", "authorization", "credential"};
    return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                       [&](std::string_view marker) { return key.find(marker) != std::string::npos; });
}

}  // namespace

nlohmann::json RedactSecrets(const nlohmann::json& changes) {
    if (changes.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : changes) out.push_back(RedactSecrets(item));
        return out;
    }
    if (!changes.is_object()) return changes;
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : changes.items())
        out[key] = IsSecretKey(key) && !value.is_null() ? nlohmann::json("[REDACTED]") : RedactSecrets(value);
    return out;
}

void AuditRepository::StartChain(db::Transaction& tx, const TenantId& tenant) {
    tx.Exec(kInsertHead, {tenant, std::string(kGenesisHash)});
}

void AuditRepository::Append(const db::TenantScope& scope, const http::AuditEvent& e) {
    const bool postgres = scope.tx().dialect() == db::Dialect::kPostgres;
    const auto head = scope.Exec(postgres ? kSelectHeadPostgres : kSelectHeadSqlite, {scope.tenant()});
    if (head.empty()) throw std::logic_error("tenant has no audit chain head");
    const int64_t seq = head.front().Get<int64_t>("seq") + 1;
    const auto prev_hash = head.front().Get<std::string>("hash");
    const std::string created_at = FormatTimestamp(Now());
    const nlohmann::json changes = e.changes.is_object() ? e.changes : nlohmann::json::object();
    const auto fields = HashedFields(e.actor_type, e.actor_id, e.action, e.entity_type, e.entity_id, changes,
                                     e.request_id, e.client_ip, e.user_agent, created_at);
    const std::string hash = RowHash(scope.tenant().str(), seq, fields, prev_hash);
    auto text_or_null = [](const std::string& s) { return s.empty() ? db::Param(nullptr) : db::Param(s); };
    scope.Exec(kInsertLog, {scope.tenant(), NewUuidV7(), seq, e.actor_type, text_or_null(e.actor_id), e.action,
                            e.entity_type, text_or_null(e.entity_id), changes.dump(), text_or_null(e.request_id),
                            text_or_null(e.client_ip), text_or_null(e.user_agent), created_at, prev_hash, hash});
    scope.Exec(kUpdateHead, {scope.tenant(), seq, hash});
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

ChainVerification AuditRepository::Verify(const db::TenantScope& scope) {
    ChainVerification result;
    std::string expected_prev(kGenesisHash);
    int64_t last_seq = 0;
    while (true) {
        const auto rows = scope.Exec(kWalk, {scope.tenant(), last_seq});
        if (rows.empty()) break;
        for (const auto& row : rows) {
            const auto seq = row.Get<int64_t>("seq");
            const auto fail = [&](std::string reason) {
                result.ok = false;
                result.broken_seq = seq;
                result.reason = std::move(reason);
                return result;
            };
            if (seq != last_seq + 1) return fail("sequence gap: expected " + std::to_string(last_seq + 1));
            if (row.Get<std::string>("prev_hash") != expected_prev)
                return fail("prev_hash does not match the previous row");
            const std::string hash = RowHash(scope.tenant().str(), seq, FieldsOf(row), expected_prev);
            if (!crypto::ConstantTimeEquals(hash, row.Get<std::string>("hash")))
                return fail("row content does not match its hash");
            expected_prev = hash;
            last_seq = seq;
            ++result.checked;
        }
    }
    const auto head = scope.Exec(kSelectHeadSqlite, {scope.tenant()});
    if (!head.empty() && head.front().Get<int64_t>("seq") != last_seq) {
        result.ok = false;
        result.broken_seq = last_seq + 1;
        result.reason = "rows after seq " + std::to_string(last_seq) + " are missing";
    }
    return result;
}

}  // namespace kiln::audit
