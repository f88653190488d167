#include "modules/common/changes.hpp"

#include "modules/events/event_outbox.hpp"

namespace kiln::common {

void ChangeSet::Apply(const std::string& field, std::optional<std::string>& current) {
    const auto it = body_.find(field);
    if (it == body_.end()) return;
    std::optional<std::string> next;
    if (!it->is_null()) next = it->get<std::string>();
    if (next == current) return;
    changes_.Record(field, current ? nlohmann::json(*current) : nlohmann::json(nullptr), *it);
    current = std::move(next);
}

void ChangeSet::Apply(const std::string& field, std::optional<int64_t>& current) {
    const auto it = body_.find(field);
    if (it == body_.end()) return;
    std::optional<int64_t> next;
    if (!it->is_null()) next = it->get<int64_t>();
    if (next == current) return;
    changes_.Record(field, current ? nlohmann::json(*current) : nlohmann::json(nullptr), *it);
    current = next;
}

void ChangeSet::ApplyExternalRefs(std::vector<ExternalRef>& current) {
    if (auto refs = ExternalRefsIn(body_)) Set("external_refs", current, std::move(*refs));
}

std::string PastTense(const std::string& verb) {
    if (verb.ends_with('e')) return verb + "d";
    if (verb.ends_with("el")) return verb + "led";
    return verb + "ed";
}

void RecordChange(http::RequestContext& ctx, const std::string& noun, const std::string& verb, const std::string& id,
                  const nlohmann::json& object, const nlohmann::json& audit_changes) {
    ctx.Audit(noun + "s." + verb, id, audit_changes);
    // Consumers react to changes; an update that changed nothing is audited (it was asked for)
    // but tells them nothing.
    if (verb == "update" && audit_changes.empty()) return;
    nlohmann::json data = {{noun, object}};
    if (verb != "create" && verb != "delete") data["changes"] = audit_changes;
    events::EventOutbox::Record(ctx.scope(), noun + "." + PastTense(verb), noun + ":" + id, data, ctx.request_id());
}

}  // namespace kiln::common
