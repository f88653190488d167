#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace kiln::identity {

/// An offer of a role in a tenant to an email address. Never holds the token, only its hash.
struct Invitation {
    TenantId tenant;
    std::string id;
    std::string email;  // lowercased
    std::string role;
    UserId invited_by;
    Timestamp expires_at;
    std::optional<Timestamp> sent_at;
    std::optional<Timestamp> accepted_at;
    std::optional<Timestamp> revoked_at;
    Timestamp created_at;

    /// pending, accepted, revoked or expired.
    std::string Status(Timestamp now) const;
    bool IsPending(Timestamp now) const { return Status(now) == "pending"; }
    /// What the API shows: no token, and nothing about whether the address has an account.
    nlohmann::json ToJson(Timestamp now) const;
};

class InvitationRepository final {
  public:
    static Invitation Create(const db::TenantScope& scope, const std::string& email, const std::string& role,
                             const UserId& invited_by, Timestamp expires_at);
    static std::optional<Invitation> Find(const db::TenantScope& scope, const std::string& id);
    static std::optional<Invitation> FindPendingByEmail(const db::TenantScope& scope, const std::string& email,
                                                        Timestamp now);
    /// Up to limit+1 invitations, newest first, with id < before_id.
    static nlohmann::json List(const db::TenantScope& scope, const std::optional<std::string>& before_id, int64_t limit,
                               Timestamp now);
    /// False when it was no longer pending.
    static bool Revoke(const db::TenantScope& scope, const std::string& id, Timestamp now);
    /// Replaces the token of a pending invitation (so earlier links stop working); false when the
    /// invitation is no longer pending.
    static bool SetTokenHash(const db::TenantScope& scope, const std::string& id, const std::string& token_hash,
                             Timestamp now);
    static void MarkSent(const db::TenantScope& scope, const std::string& id, Timestamp now);

    /// Platform lookup (system transaction): the invitation a token was issued for, in any tenant.
    static std::optional<Invitation> FindByTokenHash(db::Transaction& tx, const std::string& token_hash);
    /// One-time: succeeds for exactly one caller while the invitation is pending and the token is
    /// still its newest; the token hash is cleared so the link cannot be used again.
    static bool Accept(const db::TenantScope& scope, const std::string& id, const std::string& token_hash,
                       const UserId& user, Timestamp now);
};

}  // namespace kiln::identity
