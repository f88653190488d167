#include "modules/webhooks/event_patterns.hpp"

#include <algorithm>

#include "modules/events/event_types.hpp"

namespace kiln::webhooks {

namespace {

bool Matches(const std::string& pattern, const std::string& type) {
    if (pattern == "*") return true;
    if (pattern.size() > 2 && pattern.ends_with(".*"))
        return type.size() > pattern.size() - 1 &&
               type.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1));
    return pattern == type;
}

}  // namespace

bool MatchesAny(const std::vector<std::string>& patterns, const std::string& event_type) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return Matches(p, event_type); });
}

std::optional<std::string> PatternProblem(const std::string& pattern) {
    const auto& types = events::EventTypeRegistry::Instance().types();
    if (std::any_of(types.begin(), types.end(), [&](const events::EventType& t) { return Matches(pattern, t.name); }))
        return std::nullopt;
    if (pattern.find('*') != std::string::npos && pattern != "*" && !pattern.ends_with(".*"))
        return "wildcards are * or a family such as invoice.*";
    return "matches no event type; GET /events/types lists them";
}

}  // namespace kiln::webhooks
