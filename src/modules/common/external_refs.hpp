#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "db/database.hpp"
#include "http/schema.hpp"

namespace kiln::common {

/// An object's id in another system ("shopify", "123"): what store and accounting syncs match on.
struct ExternalRef {
    std::string source;
    std::string external_id;
    friend bool operator==(const ExternalRef&, const ExternalRef&) = default;
    friend bool operator<(const ExternalRef& a, const ExternalRef& b) {
        return std::tie(a.source, a.external_id) < std::tie(b.source, b.external_id);
    }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExternalRef, source, external_id)

/// The `external_refs` request field: [{"source": "shopify", "external_id": "123"}, ...].
http::Schema ExternalRefsSchema();
/// The `external_refs` of a validated body, sorted (the order they are stored and shown in);
/// absent when the body does not name them.
std::optional<std::vector<ExternalRef>> ExternalRefsIn(const nlohmann::json& body);

/// The external references of one kind of object, kept in a table
/// `(tenant_id, source, external_id, <owner_column>)` that is unique on (tenant_id, source, external_id),
/// so one external object maps to at most one Kiln object per tenant.
class ExternalRefTable final {
  public:
    /// `owner_noun` names the object kind in error messages ("product").
    ExternalRefTable(const std::string& table, const std::string& owner_column, std::string owner_noun);

    /// Sorted by source, then external_id.
    std::vector<ExternalRef> Load(const db::TenantScope& scope, const std::string& owner_id) const;
    /// The references of many objects in one query, keyed by owner id (owners without any are absent).
    std::map<std::string, std::vector<ExternalRef>> LoadMany(const db::TenantScope& scope,
                                                             const std::vector<std::string>& owner_ids) const;
    /// Fills `external_refs` of every object (anything with `id` and `external_refs`) in one query.
    template <typename Object>
    void AttachTo(const db::TenantScope& scope, std::vector<Object>& objects) const {
        std::vector<std::string> ids;
        ids.reserve(objects.size());
        for (const auto& object : objects) ids.push_back(object.id.str());
        auto refs = LoadMany(scope, ids);
        for (auto& object : objects) object.external_refs = std::move(refs[object.id.str()]);
    }
    std::optional<std::string> FindOwner(const db::TenantScope& scope, const std::string& source,
                                         const std::string& external_id) const;
    /// Makes `refs` the owner's complete set. A reference listed twice or already held by another
    /// object → ValidationError on `external_refs`, naming every such reference.
    void Replace(const db::TenantScope& scope, const std::string& owner_id, const std::vector<ExternalRef>& refs) const;

  private:
    std::string owner_noun_;
    std::string select_, select_many_, select_many_postgres_, find_owner_, delete_, insert_;
};

}  // namespace kiln::common
