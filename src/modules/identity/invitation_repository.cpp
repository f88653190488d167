#include "modules/identity/invitation_repository.hpp"

#include "core/strings.hpp"
#include "core/uuid.hpp"

namespace kiln::identity {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO invitations (tenant_id, id, email, role, invited_by, expires_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";
constexpr std::string_view kSelectOne = R"sql(
    SELECT tenant_id, id, email, role, invited_by, expires_at, sent_at, accepted_at, revoked_at, created_at
    FROM invitations WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kSelectPendingByEmail = R"sql(
    SELECT tenant_id, id, email, role, invited_by, expires_at, sent_at, accepted_at, revoked_at, created_at
    FROM invitations
    WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3
    ORDER BY id DESC LIMIT 1)sql";
constexpr std::string_view kList = R"sql(
    SELECT tenant_id, id, email, role, invited_by, expires_at, sent_at, accepted_at, revoked_at, created_at
    FROM invitations WHERE tenant_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT tenant_id, id, email, role, invited_by, expires_at, sent_at, accepted_at, revoked_at, created_at
    FROM invitations WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3)sql";
constexpr std::string_view kRevoke = R"sql(
    UPDATE invitations SET revoked_at = $3, token_hash = NULL
    WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL)sql";
constexpr std::string_view kSetToken = R"sql(
    UPDATE invitations SET token_hash = $3
    WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $4)sql";
constexpr std::string_view kMarkSent = "UPDATE invitations SET sent_at = $3 WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectByToken = R"sql(
    SELECT tenant_id, id, email, role, invited_by, expires_at, sent_at, accepted_at, revoked_at, created_at
    FROM invitations WHERE token_hash = $1)sql";
constexpr std::string_view kAccept = R"sql(
    UPDATE invitations SET accepted_at = $5, accepted_by = $4, token_hash = NULL
    WHERE tenant_id = $1 AND id = $2 AND token_hash = $3
      AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $5)sql";

Invitation FromRow(const db::Row& row) {
    return {TenantId(row.Get<std::string>("tenant_id")),
            row.Get<std::string>("id"),
            row.Get<std::string>("email"),
            row.Get<std::string>("role"),
            UserId(row.Get<std::string>("invited_by")),
            row.Get<Timestamp>("expires_at"),
            row.GetOptional<Timestamp>("sent_at"),
            row.GetOptional<Timestamp>("accepted_at"),
            row.GetOptional<Timestamp>("revoked_at"),
            row.Get<Timestamp>("created_at")};
}

std::optional<Invitation> First(const db::Result& rows) {
    if (rows.empty()) return std::nullopt;
    return FromRow(rows.front());
}

nlohmann::json OptionalTime(const std::optional<Timestamp>& t) {
    return t ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}

}  // namespace

std::string Invitation::Status(Timestamp now) const {
    if (accepted_at) return "accepted";
    if (revoked_at) return "revoked";
    if (expires_at <= now) return "expired";
    return "pending";
}

nlohmann::json Invitation::ToJson(Timestamp now) const {
    return {{"id", id},
            {"email", email},
            {"role", role},
            {"status", Status(now)},
            {"invited_by", invited_by.str()},
            {"expires_at", FormatTimestamp(expires_at)},
            {"sent_at", OptionalTime(sent_at)},
            {"accepted_at", OptionalTime(accepted_at)},
            {"revoked_at", OptionalTime(revoked_at)},
            {"created_at", FormatTimestamp(created_at)}};
}

Invitation InvitationRepository::Create(const db::TenantScope& scope, const std::string& email, const std::string& role,
                                        const UserId& invited_by, Timestamp expires_at) {
    Invitation invitation{
        scope.tenant(), NewUuidV7(), strings::ToLower(email), role, invited_by, expires_at, std::nullopt, std::nullopt,
        std::nullopt,   Now()};
    scope.Exec(kInsert,
               {scope.tenant(), invitation.id, invitation.email, role, invited_by, expires_at, invitation.created_at});
    return invitation;
}

std::optional<Invitation> InvitationRepository::Find(const db::TenantScope& scope, const std::string& id) {
    return First(scope.Exec(kSelectOne, {scope.tenant(), id}));
}

std::optional<Invitation> InvitationRepository::FindPendingByEmail(const db::TenantScope& scope,
                                                                   const std::string& email, Timestamp now) {
    return First(scope.Exec(kSelectPendingByEmail, {scope.tenant(), strings::ToLower(email), now}));
}

nlohmann::json InvitationRepository::List(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                          int64_t limit, Timestamp now) {
    nlohmann::json items = nlohmann::json::array();
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), before_id, limit + 1}))
        items.push_back(FromRow(row).ToJson(now));
    return items;
}

bool InvitationRepository::Revoke(const db::TenantScope& scope, const std::string& id, Timestamp now) {
    return scope.Exec(kRevoke, {scope.tenant(), id, now}).affected_rows() > 0;
}

bool InvitationRepository::SetTokenHash(const db::TenantScope& scope, const std::string& id,
                                        const std::string& token_hash, Timestamp now) {
    return scope.Exec(kSetToken, {scope.tenant(), id, token_hash, now}).affected_rows() > 0;
}

void InvitationRepository::MarkSent(const db::TenantScope& scope, const std::string& id, Timestamp now) {
    scope.Exec(kMarkSent, {scope.tenant(), id, now});
}

std::optional<Invitation> InvitationRepository::FindByTokenHash(db::Transaction& tx, const std::string& token_hash) {
    return First(tx.Exec(kSelectByToken, {token_hash}));
}

bool InvitationRepository::Accept(const db::TenantScope& scope, const std::string& id, const std::string& token_hash,
                                  const UserId& user, Timestamp now) {
    return scope.Exec(kAccept, {scope.tenant(), id, token_hash, user, now}).affected_rows() > 0;
}

}  // namespace kiln::identity
