#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "modules/tenancy/tenancy_repository.hpp"

namespace kiln::tenancy {

/// What sign-in, passwords and invitations (the access and identity modules) ask of users and tenants. User and
/// tenant rows are platform-level, so these take the system transaction; memberships are MembershipService's.
class UserDirectory final {
  public:
    static std::optional<Tenant> FindTenant(db::Transaction& tx, const TenantId& id);
    /// Email is compared lowercased.
    static std::optional<User> FindUserByEmail(db::Transaction& tx, const std::string& email);
    /// A new user with the argon2id hash computed beforehand (outside the write transaction). A taken email →
    /// Conflict.
    static User CreateUser(db::Transaction& tx, const std::string& email, const std::string& name,
                           const std::string& password_hash);
    /// Nothing for a user who never set a password (invited, not yet accepted).
    static std::optional<std::string> PasswordHash(db::Transaction& tx, const UserId& user);
    static void SetPasswordHash(db::Transaction& tx, const UserId& user, const std::string& password_hash);
    /// Every tenant the user belongs to, with the role held there.
    static nlohmann::json TenantsOf(db::Transaction& tx, const UserId& user);
};

}  // namespace kiln::tenancy
