#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "db/database.hpp"

namespace kiln::tenancy {

struct CustomRole {
    RoleId id;
    std::string name;
    std::string description;
    std::set<std::string> permissions;
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json ToJson() const;
};

/// Per-tenant custom roles. Built-in roles are not rows; see auth/permissions.hpp.
class RoleRepository final {
  public:
    static CustomRole Create(const db::TenantScope& scope, const std::string& name, const std::string& description,
                             const std::set<std::string>& permissions);
    static std::optional<CustomRole> Find(const db::TenantScope& scope, const RoleId& id);
    static std::optional<CustomRole> FindByName(const db::TenantScope& scope, const std::string& name);
    static void Update(const db::TenantScope& scope, const CustomRole& role);
    static void Delete(const db::TenantScope& scope, const RoleId& id);
    static std::vector<CustomRole> List(const db::TenantScope& scope);
};

}  // namespace kiln::tenancy
