#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::auth {

/// Every permission Kiln knows, as `resource:action`. Tenant permissions are granted by a
/// membership's role; platform permissions only by being a platform administrator.
struct PermissionInfo {
    std::string_view name;
    std::string_view description;
    bool platform;
};

const std::vector<PermissionInfo>& AllPermissions();
bool IsKnownPermission(std::string_view name);
bool IsPlatformPermission(std::string_view name);

/// Built-in roles and what they grant. Custom roles are per-tenant rows in `roles`.
const std::vector<std::string>& BuiltInRoleNames();
bool IsBuiltInRole(std::string_view name);
/// Permissions of a built-in role; empty for unknown names.
std::set<std::string> BuiltInRolePermissions(std::string_view role);
std::set<std::string> PlatformPermissions();

}  // namespace kiln::auth
