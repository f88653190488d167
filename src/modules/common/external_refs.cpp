#include "modules/common/external_refs.hpp"

#include <algorithm>

namespace kiln::common {

http::Schema ExternalRefsSchema() {
    return http::Schema::ArrayOf(
               http::Schema::Object()
                   .Required("source", http::Schema::String().MinLength(1).MaxLength(64).Format("slug"))
                   .Required("external_id", http::Schema::String().MinLength(1).MaxLength(255)))
        .MaxItems(50)
        .Description("Ids of this object in other systems; each (source, external_id) belongs to one object");
}

std::optional<std::vector<ExternalRef>> ExternalRefsIn(const nlohmann::json& body) {
    const auto it = body.find("external_refs");
    if (it == body.end()) return std::nullopt;
    auto refs = it->get<std::vector<ExternalRef>>();
    std::sort(refs.begin(), refs.end());
    return refs;
}

ExternalRefTable::ExternalRefTable(const std::string& table, const std::string& owner_column, std::string owner_noun)
    : owner_noun_(std::move(owner_noun)),
      select_("SELECT source, external_id FROM " + table + " WHERE tenant_id = $1 AND " + owner_column +
              " = $2 ORDER BY source, external_id"),
      // The owner ids travel as one JSON array, so a page of any size is one prepared statement.
      select_many_("SELECT " + owner_column + " AS owner_id, source, external_id FROM " + table +
                   " WHERE tenant_id = $1 AND " + owner_column +
                   " IN (SELECT value FROM json_each($2)) ORDER BY source, external_id"),
      select_many_postgres_("SELECT " + owner_column + " AS owner_id, source, external_id FROM " + table +
                            " WHERE tenant_id = $1 AND " + owner_column +
                            " IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid) ORDER BY source, external_id"),
      find_owner_("SELECT " + owner_column + " AS owner_id FROM " + table +
                  " WHERE tenant_id = $1 AND source = $2 AND external_id = $3"),
      delete_("DELETE FROM " + table + " WHERE tenant_id = $1 AND " + owner_column + " = $2"),
      insert_("INSERT INTO " + table + " (tenant_id, source, external_id, " + owner_column +
              ") VALUES ($1, $2, $3, $4)") {}

std::vector<ExternalRef> ExternalRefTable::Load(const db::TenantScope& scope, const std::string& owner_id) const {
    std::vector<ExternalRef> refs;
    for (const auto& row : scope.Exec(select_, {scope.tenant(), owner_id}))
        refs.push_back({row.Get<std::string>("source"), row.Get<std::string>("external_id")});
    return refs;
}

std::map<std::string, std::vector<ExternalRef>> ExternalRefTable::LoadMany(
    const db::TenantScope& scope, const std::vector<std::string>& owner_ids) const {
    std::map<std::string, std::vector<ExternalRef>> refs;
    if (owner_ids.empty()) return refs;
    const auto& sql = scope.tx().dialect() == db::Dialect::kPostgres ? select_many_postgres_ : select_many_;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), nlohmann::json(owner_ids).dump()}))
        refs[row.Get<std::string>("owner_id")].push_back(
            {row.Get<std::string>("source"), row.Get<std::string>("external_id")});
    return refs;
}

std::optional<std::string> ExternalRefTable::FindOwner(const db::TenantScope& scope, const std::string& source,
                                                       const std::string& external_id) const {
    const auto rows = scope.Exec(find_owner_, {scope.tenant(), source, external_id});
    if (rows.empty()) return std::nullopt;
    return rows.front().Get<std::string>("owner_id");
}

void ExternalRefTable::Replace(const db::TenantScope& scope, const std::string& owner_id,
                               const std::vector<ExternalRef>& refs) const {
    std::vector<FieldError> errors;
    for (size_t i = 0; i < refs.size(); ++i) {
        const std::string name = refs[i].source + "/" + refs[i].external_id;
        if (std::count(refs.begin(), refs.begin() + static_cast<std::ptrdiff_t>(i), refs[i]) == 1) {
            errors.push_back({"external_refs", "lists " + name + " twice"});
            continue;
        }
        // Looked up first rather than caught as a unique violation: on PostgreSQL a failed
        // statement ends the transaction, and every conflicting reference should be reported.
        const auto owner = FindOwner(scope, refs[i].source, refs[i].external_id);
        if (owner && *owner != owner_id)
            errors.push_back({"external_refs", name + " is already linked to another " + owner_noun_});
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    scope.Exec(delete_, {scope.tenant(), owner_id});
    try {
        for (const auto& ref : refs) scope.Exec(insert_, {scope.tenant(), ref.source, ref.external_id, owner_id});
    } catch (const db::UniqueViolation&) {
        // A concurrent request linked the same reference between the check and the insert.
        throw ValidationError("external_refs", "contains a reference just linked to another " + owner_noun_);
    }
}

}  // namespace kiln::common
