#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace kiln::tenancy {

struct Tenant {
    TenantId id;
    std::string name;
    std::string slug;
    Timestamp created_at;
    /// A platform administrator's opt-in: the tenant's integrations may fall back to the platform's
    /// credentials (STRIPE_API_KEY, …). Off unless set with PUT /admin/tenants/{id}.
    bool use_platform_credentials = false;
    nlohmann::json ToJson() const;
};

struct User {
    UserId id;
    std::string email;
    std::string name;
    bool is_platform_admin = false;
    Timestamp created_at;
    nlohmann::json ToJson() const;
};

/// Tenants, users and memberships. Tenant and user rows are platform-level (system
/// transactions); membership reads and writes take the tenant scope.
class TenancyRepository final {
  public:
    /// Creates the tenant and starts its audit chain. A taken slug → Conflict.
    static Tenant CreateTenant(db::Transaction& tx, const std::string& name, const std::string& slug);
    static std::optional<Tenant> FindTenant(db::Transaction& tx, const TenantId& id);
    static std::optional<Tenant> FindTenantBySlug(db::Transaction& tx, const std::string& slug);
    static void RenameTenant(const db::TenantScope& scope, const std::string& name);
    /// Platform administrators only (a system transaction).
    static void SetUsePlatformCredentials(db::Transaction& tx, const TenantId& id, bool use);
    /// Up to limit+1 tenants with id < before_id, newest first.
    static nlohmann::json ListTenants(db::Transaction& tx, const std::optional<std::string>& before_id, int64_t limit);

    /// Email is normalised to lowercase. A taken email → Conflict.
    static User CreateUser(db::Transaction& tx, const std::string& email, const std::string& name,
                           const std::string& password, bool platform_admin);
    /// As CreateUser, with the argon2id hash computed beforehand (outside the write transaction).
    static User CreateUserWithPasswordHash(db::Transaction& tx, const std::string& email, const std::string& name,
                                           const std::string& password_hash);
    static std::optional<User> FindUserByEmail(db::Transaction& tx, const std::string& email);
    static void SetPasswordHash(db::Transaction& tx, const UserId& user, const std::string& password_hash);
    static std::optional<std::string> PasswordHash(db::Transaction& tx, const UserId& user);

    static void AddMember(const db::TenantScope& scope, const UserId& user, const std::string& role);
    static std::optional<std::string> MemberRole(const db::TenantScope& scope, const UserId& user);
    static void SetMemberRole(const db::TenantScope& scope, const UserId& user, const std::string& role);
    static void RemoveMember(const db::TenantScope& scope, const UserId& user);
    static void RenameRoleOfMembers(const db::TenantScope& scope, const std::string& from, const std::string& to);
    static int64_t CountMembersWithRole(const db::TenantScope& scope, const std::string& role);
    static std::optional<nlohmann::json> FindMember(const db::TenantScope& scope, const UserId& user);
    /// Up to limit+1 members, newest user first, with id < before_id.
    static nlohmann::json ListMembers(const db::TenantScope& scope, const std::optional<std::string>& before_id,
                                      int64_t limit);
    /// Every tenant the user belongs to, with the role held there.
    static nlohmann::json TenantsOfUser(db::Transaction& tx, const UserId& user);

  private:
    static User InsertUser(db::Transaction& tx, const std::string& email, const std::string& name,
                           const std::string& password_hash, bool platform_admin);
};

/// A URL-safe slug from a display name: "Acme Tools, Inc." → "acme-tools-inc".
std::string SlugFromName(const std::string& name);

}  // namespace kiln::tenancy
