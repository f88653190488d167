#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"

namespace kiln::identity {

/// Requested password resets (platform-level rows; system transactions). Only token hashes.
class PasswordResetRepository final {
  public:
    /// A new reset for `user`, without a token yet (the mail job issues it); returns its id.
    static std::string Create(db::Transaction& tx, const UserId& user, Timestamp expires_at);
    /// True when `user` asked for a reset after `since` (a flood of requests sends one mail).
    static bool RequestedSince(db::Transaction& tx, const UserId& user, Timestamp since);
    /// Sets the token of an unused, unexpired reset; false otherwise.
    static bool SetTokenHash(db::Transaction& tx, const std::string& id, const std::string& token_hash, Timestamp now);
    /// The user of an unused, unexpired reset with this token, or nothing.
    static std::optional<UserId> FindUsable(db::Transaction& tx, const std::string& token_hash, Timestamp now);
    /// One-time: marks every open reset of the user used; false when this token was used already.
    static bool Consume(db::Transaction& tx, const std::string& token_hash, const UserId& user, Timestamp now);
};

}  // namespace kiln::identity
