#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/ids.hpp"

namespace kiln::auth {

/// Who is calling, as established from the bearer credential.
struct Principal {
    enum class Kind { kSession, kApiToken };

    Kind kind = Kind::kSession;
    UserId user_id;
    std::string email;
    std::string name;
    bool is_platform_admin = false;
    std::string credential_id;  // session id or API token id
    /// API tokens only: the one tenant the token works in, and the subset of permissions it
    /// was narrowed to (nullopt = all of its owner's).
    std::optional<TenantId> bound_tenant;
    std::optional<std::set<std::string>> token_permissions;
    bool needs_use_recorded = false;  // API token whose last_used_at is over a minute old

    std::string ActorType() const { return kind == Kind::kSession ? "user" : "api_token"; }
};

/// The principal's standing in the tenant the request is for.
struct TenantAccess {
    TenantId tenant;
    std::string slug;
    std::string role;
    std::set<std::string> permissions;  // already narrowed by the token subset, if any
};

}  // namespace kiln::auth
