#include "modules/identity/password_reset_repository.hpp"

#include "core/uuid.hpp"

namespace kiln::identity {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO password_resets (id, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kRecent = "SELECT id FROM password_resets WHERE user_id = $1 AND created_at > $2 LIMIT 1";
constexpr std::string_view kSetToken = R"sql(
    UPDATE password_resets SET token_hash = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $3)sql";
constexpr std::string_view kFindUsable = R"sql(
    SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)sql";
constexpr std::string_view kConsume = R"sql(
    UPDATE password_resets SET used_at = $3, token_hash = NULL
    WHERE token_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > $3)sql";
constexpr std::string_view kCloseOthers =
    "UPDATE password_resets SET used_at = $2, token_hash = NULL WHERE user_id = $1 AND used_at IS NULL";

}  // namespace

std::string PasswordResetRepository::Create(db::Transaction& tx, const UserId& user, Timestamp expires_at) {
    std::string id = NewUuidV7();
    tx.Exec(kInsert, {id, user, expires_at, Now()});
    return id;
}

bool PasswordResetRepository::RequestedSince(db::Transaction& tx, const UserId& user, Timestamp since) {
    return !tx.Exec(kRecent, {user, since}).empty();
}

bool PasswordResetRepository::SetTokenHash(db::Transaction& tx, const std::string& id, const std::string& token_hash,
                                           Timestamp now) {
    return tx.Exec(kSetToken, {id, token_hash, now}).affected_rows() > 0;
}

std::optional<UserId> PasswordResetRepository::FindUsable(db::Transaction& tx, const std::string& token_hash,
                                                          Timestamp now) {
    const auto rows = tx.Exec(kFindUsable, {token_hash, now});
    if (rows.empty()) return std::nullopt;
    return UserId(rows.front().Get<std::string>("user_id"));
}

bool PasswordResetRepository::Consume(db::Transaction& tx, const std::string& token_hash, const UserId& user,
                                      Timestamp now) {
    if (tx.Exec(kConsume, {token_hash, user, now}).affected_rows() == 0) return false;
    tx.Exec(kCloseOthers, {user, now});
    return true;
}

}  // namespace kiln::identity
