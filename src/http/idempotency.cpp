#include "http/idempotency.hpp"

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace kiln::http {

namespace {

constexpr std::string_view kSelect = R"sql(
    SELECT request_hash, status, response_body FROM idempotency_keys
    WHERE tenant_id = $1 AND principal_id = $2 AND key = $3)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO idempotency_keys (tenant_id, principal_id, key, request_hash, status, response_body, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";

}  // namespace

IdempotencyKey IdempotencyKey::From(const std::string& key, const std::string& principal_id, const Request& request) {
    if (key.empty() || key.size() > 255) throw BadRequest("Idempotency-Key must be 1 to 255 characters.");
    const std::string fingerprint = std::string(MethodName(request.method)) + " " + request.path + "\n" + request.body;
    return {key, principal_id, crypto::Sha256Hex(fingerprint)};
}

std::optional<Response> IdempotencyKey::Lookup(const db::TenantScope& scope) const {
    const auto rows = scope.Exec(kSelect, {scope.tenant(), principal_id_, key_});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    if (row.Get<std::string>("request_hash") != request_hash_)
        throw Error(ErrorCode::kUnprocessable, "This Idempotency-Key was already used with a different request.");
    Response replay{
        static_cast<int>(row.Get<int64_t>("status")), "application/json", row.Get<std::string>("response_body"), {}};
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
}

void IdempotencyKey::Store(const db::TenantScope& scope, const Response& response) const {
    scope.Exec(kInsert, {scope.tenant(), principal_id_, key_, request_hash_, response.status, response.body, Now()});
}

}  // namespace kiln::http
