#include "http/idempotency.hpp"

#include <stdexcept>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace kiln::http {

namespace {

constexpr std::string_view kSelect = R"sql(
    SELECT request_hash, status, response_body FROM idempotency_keys
    WHERE tenant_id = $1 AND principal_id = $2 AND key = $3 AND expires_at > $4)sql";
// An expired row of the same key is replaced; one that is still live (a concurrent request with the
// same key committed first) is left alone, and the caller sees that no row changed.
constexpr std::string_view kUpsert = R"sql(
    INSERT INTO idempotency_keys (tenant_id, principal_id, key, request_hash, status, response_body, created_at,
                                  expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (tenant_id, principal_id, key) DO UPDATE
    SET request_hash = excluded.request_hash, status = excluded.status, response_body = excluded.response_body,
        created_at = excluded.created_at, expires_at = excluded.expires_at
    WHERE idempotency_keys.expires_at <= excluded.created_at)sql";
constexpr std::string_view kPurge = R"sql(
    DELETE FROM idempotency_keys WHERE (tenant_id, principal_id, key) IN (
        SELECT tenant_id, principal_id, key FROM idempotency_keys WHERE expires_at <= $1 LIMIT $2))sql";
constexpr std::string_view kSelectAll = "SELECT tenant_id, principal_id, key, response_body FROM idempotency_keys";
constexpr std::string_view kUpdateBody = R"sql(
    UPDATE idempotency_keys SET response_body = $4 WHERE tenant_id = $1 AND principal_id = $2 AND key = $3)sql";

/// What a sealed body is bound to: copied into another tenant's, credential's or key's row, it does not open.
std::string SealContext(const std::string& tenant, const std::string& principal_id, const std::string& key) {
    return "idempotency_keys.response_body:" + tenant + ":" + principal_id + ":" + key;
}

}  // namespace

IdempotencyKey IdempotencyKey::From(const std::string& key, const std::string& principal_id, const Request& request) {
    if (key.empty() || key.size() > 255) throw BadRequest("Idempotency-Key must be 1 to 255 characters.");
    const std::string fingerprint = std::string(MethodName(request.method)) + " " + request.path + "\n" + request.body;
    return {key, principal_id, crypto::Sha256Hex(fingerprint)};
}

std::optional<Response> IdempotencyStore::Lookup(const db::TenantScope& scope, const IdempotencyKey& key) const {
    if (ttl_.count() == 0) return std::nullopt;
    const auto rows = scope.Exec(kSelect, {scope.tenant(), key.principal_id(), key.key(), Now()});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    if (row.Get<std::string>("request_hash") != key.request_hash())
        throw Error(ErrorCode::kUnprocessable, "This Idempotency-Key was already used with a different request.");
    std::string body;
    try {
        body = vault_.Open(row.Get<std::string>("response_body"),
                           SealContext(scope.tenant().str(), key.principal_id(), key.key()));
    } catch (const std::runtime_error&) {
        // Sealed under a key this process no longer has: the response cannot be replayed, and doing
        // the request again would do its effect twice.
        throw Conflict("The response stored for this Idempotency-Key can no longer be read; send a new key.");
    }
    Response replay{static_cast<int>(row.Get<int64_t>("status")), "application/json", std::move(body), {}};
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
}

void IdempotencyStore::Store(const db::TenantScope& scope, const IdempotencyKey& key, const Response& response) const {
    if (ttl_.count() == 0) return;
    const Timestamp now = Now();
    const std::string sealed =
        vault_.Seal(response.body, SealContext(scope.tenant().str(), key.principal_id(), key.key()));
    const auto result =
        scope.Exec(kUpsert, {scope.tenant(), key.principal_id(), key.key(), key.request_hash(), response.status, sealed,
                             now, now + std::chrono::duration_cast<std::chrono::microseconds>(ttl_)});
    if (result.affected_rows() == 0)
        throw Conflict("Another request with this Idempotency-Key finished first; send this one again for its answer.");
}

size_t IdempotencyStore::PurgeExpired(db::Transaction& system_tx, Timestamp now, size_t batch) {
    return static_cast<size_t>(system_tx.Exec(kPurge, {now, static_cast<int64_t>(batch)}).affected_rows());
}

size_t IdempotencyStore::Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next) {
    size_t count = 0;
    for (const auto& row : system_tx.Exec(kSelectAll)) {
        const auto tenant = row.Get<std::string>("tenant_id");
        const auto principal = row.Get<std::string>("principal_id");
        const auto key = row.Get<std::string>("key");
        const std::string context = SealContext(tenant, principal, key);
        system_tx.Exec(kUpdateBody, {tenant, principal, key,
                                     next.Seal(current.Open(row.Get<std::string>("response_body"), context), context)});
        ++count;
    }
    return count;
}

}  // namespace kiln::http
