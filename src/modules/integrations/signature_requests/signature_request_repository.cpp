#include "modules/integrations/signature_requests/signature_request_repository.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kColumns =
    "id, integration_id, envelope_id, status, subject, message, documents, signers, entity_type, entity_id, error, "
    "created_at, updated_at, completed_at";

constexpr std::string_view kInsert = R"sql(
    INSERT INTO signature_requests (tenant_id, id, integration_id, envelope_id, status, subject, message, documents,
        signers, entity_type, entity_id, error, created_at, updated_at, completed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15))sql";

// The CASE is EnvelopeStatusRank in SQL, so comparing and writing are one statement: a Connect
// event and a refresh racing cannot move a request backwards. A stored word outside the order
// counts as final.
constexpr std::string_view kForwardById = R"sql(
    UPDATE signature_requests SET status = $3, updated_at = $4,
        completed_at = CASE WHEN $3 = 'completed' THEN $4 ELSE completed_at END
    WHERE tenant_id = $1 AND id = $2
      AND (CASE status WHEN 'created' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'signed' THEN 3
                       ELSE 4 END) < $5)sql";
constexpr std::string_view kForwardByEnvelope = R"sql(
    UPDATE signature_requests SET status = $3, updated_at = $4,
        completed_at = CASE WHEN $3 = 'completed' THEN $4 ELSE completed_at END
    WHERE tenant_id = $1 AND envelope_id = $2
      AND (CASE status WHEN 'created' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'signed' THEN 3
                       ELSE 4 END) < $5)sql";

const std::string& SelectById() {
    static const std::string sql =
        "SELECT " + std::string(kColumns) + " FROM signature_requests WHERE tenant_id = $1 AND id = $2";
    return sql;
}

SignatureRequest From(const db::Row& row) {
    return SignatureRequest{.id = SignatureRequestId(row.Get<std::string>("id")),
                            .integration_id = IntegrationId(row.Get<std::string>("integration_id")),
                            .envelope_id = row.GetOptional<std::string>("envelope_id"),
                            .status = row.Get<std::string>("status"),
                            .subject = row.Get<std::string>("subject"),
                            .message = row.GetOptional<std::string>("message"),
                            .documents = row.Get<nlohmann::json>("documents"),
                            .signers = row.Get<nlohmann::json>("signers"),
                            .entity_type = row.GetOptional<std::string>("entity_type"),
                            .entity_id = row.GetOptional<std::string>("entity_id"),
                            .error = row.GetOptional<std::string>("error"),
                            .created_at = row.Get<Timestamp>("created_at"),
                            .updated_at = row.Get<Timestamp>("updated_at"),
                            .completed_at = row.GetOptional<Timestamp>("completed_at")};
}

bool Forward(const db::TenantScope& scope, std::string_view sql, const std::string& key, const std::string& status) {
    const auto rank = EnvelopeStatusRank(status);
    if (!rank) return false;
    return scope.Exec(sql, {scope.tenant(), key, status, Now(), static_cast<int64_t>(*rank)}).affected_rows() > 0;
}

}  // namespace

void SignatureRequestRepository::Insert(const db::TenantScope& scope, const SignatureRequest& r) {
    scope.Exec(kInsert, {scope.tenant(), r.id, r.integration_id, r.envelope_id, r.status, r.subject, r.message,
                         r.documents.dump(), r.signers.dump(), r.entity_type, r.entity_id, r.error, r.created_at,
                         r.updated_at, r.completed_at});
}

std::optional<SignatureRequest> SignatureRequestRepository::Find(const db::TenantScope& scope,
                                                                 const SignatureRequestId& id) {
    const auto rows = scope.Exec(SelectById(), {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

bool SignatureRequestRepository::UpdateStatus(const db::TenantScope& scope, const SignatureRequestId& id,
                                              const std::string& status) {
    return Forward(scope, kForwardById, id.str(), status);
}

bool UpdateSignatureStatusByEnvelope(const db::TenantScope& scope, const std::string& envelope_id,
                                     const std::string& status) {
    return Forward(scope, kForwardByEnvelope, envelope_id, status);
}

}  // namespace kiln::integrations
