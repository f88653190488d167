#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/ids.hpp"

namespace kiln::common {

/// The real changes of one update, as {"field": {"from": old, "to": new}}: what the audit log and the event carry.
/// Services fill one from typed edits; ChangeSet fills one from a request body.
class FieldChanges final {
  public:
    /// Sets `current` to `next` and records the change, unless they are equal.
    template <typename T>
    void Set(const std::string& field, T& current, T next) {
        if (next == current) return;
        changes_[field] = {{"from", current}, {"to", next}};
        current = std::move(next);
    }
    /// An id, shown as its text.
    template <typename Tag>
    void Set(const std::string& field, TypedId<Tag>& current, TypedId<Tag> next) {
        if (next == current) return;
        changes_[field] = {{"from", current.str()}, {"to", next.str()}};
        current = std::move(next);
    }
    /// Records a change of a value shown otherwise than it is held (lines as JSON, a status by name).
    void Record(const std::string& field, nlohmann::json from, nlohmann::json to) {
        if (from == to) return;
        changes_[field] = {{"from", std::move(from)}, {"to", std::move(to)}};
    }

    bool Contains(const std::string& field) const { return changes_.contains(field); }
    bool empty() const { return changes_.empty(); }
    const nlohmann::json& json() const { return changes_; }

  private:
    nlohmann::json changes_ = nlohmann::json::object();
};

}  // namespace kiln::common
