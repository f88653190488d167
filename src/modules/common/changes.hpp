#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/request_context.hpp"
#include "modules/common/external_refs.hpp"
#include "modules/common/field_changes.hpp"

namespace kiln::common {

/// Applies the fields a partial update (PUT with some fields) names to the stored object and
/// records each real change as {"field": {"from": old, "to": new}} for the audit log and the event.
class ChangeSet final {
  public:
    explicit ChangeSet(const nlohmann::json& body) : body_(body) {}

    template <typename T>
    void Apply(const std::string& field, T& current) {
        const auto it = body_.find(field);
        if (it != body_.end()) Set(field, current, it->template get<T>());
    }
    /// For a value the caller read from the body itself (normalised, or under another name).
    template <typename T>
    void Set(const std::string& field, T& current, T next) {
        changes_.Set(field, current, std::move(next));
    }
    /// A nullable field: JSON null clears it.
    void Apply(const std::string& field, std::optional<std::string>& current);
    void Apply(const std::string& field, std::optional<int64_t>& current);
    /// `external_refs`, compared as the sorted set they are stored as.
    void ApplyExternalRefs(std::vector<ExternalRef>& current);

    bool Contains(const std::string& field) const { return changes_.Contains(field); }
    const nlohmann::json& changes() const { return changes_.json(); }

  private:
    const nlohmann::json& body_;
    FieldChanges changes_;
};

/// Events are named in the past tense: "create" → "created", "confirm" → "confirmed",
/// "cancel" → "cancelled" (doubling the l as in British English).
std::string PastTense(const std::string& verb);

/// Writes the audit row (`<noun>s.<verb>` with `audit_changes`) and the `<noun>.<PastTense(verb)>`
/// event of one change, both in the request's transaction. `audit_changes` goes into the event of
/// everything but a creation or deletion (whose data is the whole object); an update without
/// changes publishes no event.
void RecordChange(http::RequestContext& ctx, const std::string& noun, const std::string& verb, const std::string& id,
                  const nlohmann::json& object, const nlohmann::json& audit_changes);

/// Ends a partial update: saves `object` if anything changed (with a new updated_at, and its
/// external references only if those changed), records the change, and answers with the object.
template <typename Repository, typename Object>
http::Response SaveUpdate(http::RequestContext& ctx, const std::string& noun, Object& object,
                          const ChangeSet& changes) {
    if (!changes.changes().empty()) {
        object.updated_at = Now();
        Repository::Update(ctx.scope(), object, changes.Contains("external_refs"));
    }
    const nlohmann::json shown = object.ToJson();
    RecordChange(ctx, noun, "update", object.id.str(), shown, changes.changes());
    return http::Response::Json(200, shown);
}

}  // namespace kiln::common
