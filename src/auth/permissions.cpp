#include "auth/permissions.hpp"

#include <algorithm>

namespace kiln::auth {

const std::vector<PermissionInfo>& AllPermissions() {
    static const std::vector<PermissionInfo> permissions = {
        {"tenants:read", "Read the tenant's profile", false},
        {"tenants:update", "Change the tenant's name", false},
        {"members:read", "List the tenant's members and their roles", false},
        {"members:create", "Add users to the tenant", false},
        {"members:update", "Change a member's role", false},
        {"members:delete", "Remove members from the tenant", false},
        {"roles:read", "List roles and their permissions", false},
        {"roles:create", "Create custom roles", false},
        {"roles:update", "Change custom roles", false},
        {"roles:delete", "Delete custom roles", false},
        {"tokens:read", "List one's own API tokens", false},
        {"tokens:create", "Create personal API tokens", false},
        {"tokens:delete", "Revoke one's own API tokens", false},
        {"audit:read", "Read and verify the audit log", false},
        {"products:read", "Read the product catalog", false},
        {"products:create", "Add products to the catalog", false},
        {"products:update", "Change products", false},
        {"products:delete", "Remove products from the catalog", false},
        {"customers:read", "Read customers", false},
        {"customers:create", "Add customers", false},
        {"customers:update", "Change customers", false},
        {"customers:delete", "Remove customers", false},
        {"sales_orders:read", "Read sales orders", false},
        {"sales_orders:create", "Create sales orders", false},
        {"sales_orders:update", "Change, confirm, fulfil and cancel sales orders", false},
        {"sales_orders:delete", "Delete draft sales orders", false},
        {"invoices:read", "Read invoices", false},
        {"invoices:create", "Create invoices", false},
        {"invoices:update", "Change, issue and void invoices", false},
        {"invoices:delete", "Delete draft invoices", false},
        {"payments:read", "Read payments", false},
        {"payments:create", "Record payments", false},
        {"payments:update", "Refund payments", false},
        {"ledger:read", "Read the ledger: accounts, journal entries, trial balance, periods", false},
        {"ledger:write", "Post manual journal entries and close or reopen accounting periods", false},
        {"events:read", "Read the tenant's event stream", false},
        {"workflows:read", "Read workflow rules, their runs and dry runs", false},
        {"workflows:create", "Create workflow rules", false},
        {"workflows:update", "Change, enable and disable workflow rules", false},
        {"workflows:delete", "Delete workflow rules", false},
        {"notifications:read", "Read and mark one's own notifications", false},
        {"integrations:read", "Read integrations", false},
        {"integrations:create", "Create integrations", false},
        {"integrations:update", "Change integrations", false},
        {"integrations:delete", "Delete integrations", false},
        {"plugins:read", "See installed plugins", false},
        {"plugins:update", "Enable and configure plugins for the tenant", false},
        {"plugins:create", "Publish plugins to the platform", true},
        {"plugins:delete", "Remove plugins from the platform", true},
        {"admin:system:read", "Read platform state: tenants, health, queues", true},
        {"admin:system:write", "Change platform state: create tenants", true},
    };
    return permissions;
}

bool IsKnownPermission(std::string_view name) {
    const auto& all = AllPermissions();
    return std::any_of(all.begin(), all.end(), [&](const PermissionInfo& p) { return p.name == name; });
}

bool IsPlatformPermission(std::string_view name) {
    const auto& all = AllPermissions();
    return std::any_of(all.begin(), all.end(), [&](const PermissionInfo& p) { return p.platform && p.name == name; });
}

const std::vector<std::string>& BuiltInRoleNames() {
    static const std::vector<std::string> names = {"owner", "admin", "accountant", "sales", "viewer"};
    return names;
}

bool IsBuiltInRole(std::string_view name) {
    const auto& names = BuiltInRoleNames();
    return std::find(names.begin(), names.end(), name) != names.end();
}

namespace {

std::set<std::string> TenantPermissionsWhere(bool (*keep)(std::string_view)) {
    std::set<std::string> out;
    for (const auto& p : AllPermissions())
        if (!p.platform && keep(p.name)) out.emplace(p.name);
    return out;
}

bool EndsWithRead(std::string_view name) {
    return name.ends_with(":read");
}

}  // namespace

std::set<std::string> BuiltInRolePermissions(std::string_view role) {
    // Every member may manage their own personal tokens: a token never grants more than its owner has.
    static const std::set<std::string> kOwnTokens = {"tokens:read", "tokens:create", "tokens:delete"};
    if (role == "owner" || role == "admin") return TenantPermissionsWhere([](std::string_view) { return true; });
    std::set<std::string> out = kOwnTokens;
    if (role == "accountant") {
        // Reads everything, including the audit trail auditors ask for.
        auto reads = TenantPermissionsWhere(EndsWithRead);
        out.insert(reads.begin(), reads.end());
        // Keeps the books: manual journal entries and closing months.
        out.insert("ledger:write");
    } else if (role == "sales" || role == "viewer") {
        auto reads = TenantPermissionsWhere(
            [](std::string_view name) { return EndsWithRead(name) && name != "audit:read" && name != "roles:read"; });
        out.insert(reads.begin(), reads.end());
        // Sales keeps the customer book and takes orders; deleting drafts stays with admins.
        if (role == "sales")
            out.insert({"customers:create", "customers:update", "sales_orders:create", "sales_orders:update"});
    } else {
        return {};
    }
    return out;
}

std::set<std::string> PlatformPermissions() {
    std::set<std::string> out;
    for (const auto& p : AllPermissions())
        if (p.platform) out.emplace(p.name);
    return out;
}

}  // namespace kiln::auth
