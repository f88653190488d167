#include "modules/tenancy/user_directory.hpp"

namespace kiln::tenancy {

std::optional<Tenant> UserDirectory::FindTenant(db::Transaction& tx, const TenantId& id) {
    return TenancyRepository::FindTenant(tx, id);
}

std::optional<User> UserDirectory::FindUserByEmail(db::Transaction& tx, const std::string& email) {
    return TenancyRepository::FindUserByEmail(tx, email);
}

User UserDirectory::CreateUser(db::Transaction& tx, const std::string& email, const std::string& name,
                               const std::string& password_hash) {
    return TenancyRepository::CreateUserWithPasswordHash(tx, email, name, password_hash);
}

std::optional<std::string> UserDirectory::PasswordHash(db::Transaction& tx, const UserId& user) {
    return TenancyRepository::PasswordHash(tx, user);
}

void UserDirectory::SetPasswordHash(db::Transaction& tx, const UserId& user, const std::string& password_hash) {
    TenancyRepository::SetPasswordHash(tx, user, password_hash);
}

nlohmann::json UserDirectory::TenantsOf(db::Transaction& tx, const UserId& user) {
    return TenancyRepository::TenantsOfUser(tx, user);
}

}  // namespace kiln::tenancy
