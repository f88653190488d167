#pragma once

#include <functional>
#include <string>
#include <utility>

namespace kiln {

/// A string id that cannot be mixed up with an id of another kind. Ids are UUIDv7 text.
template <typename Tag>
class TypedId {
  public:
    TypedId() = default;
    explicit TypedId(std::string value) : value_(std::move(value)) {}

    const std::string& str() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }

    friend bool operator==(const TypedId&, const TypedId&) = default;
    friend auto operator<=>(const TypedId&, const TypedId&) = default;

  private:
    std::string value_;
};

using TenantId = TypedId<struct TenantIdTag>;
using UserId = TypedId<struct UserIdTag>;
using RoleId = TypedId<struct RoleIdTag>;
using TokenId = TypedId<struct TokenIdTag>;
using AuditLogId = TypedId<struct AuditLogIdTag>;

}  // namespace kiln

template <typename Tag>
struct std::hash<kiln::TypedId<Tag>> {
    size_t operator()(const kiln::TypedId<Tag>& id) const noexcept { return std::hash<std::string>{}(id.str()); }
};
