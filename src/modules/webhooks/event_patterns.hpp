#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kiln::webhooks {

/// A subscription's `events`: exact types ("invoice.paid"), a family ("invoice.*": every type
/// starting "invoice."), or everything ("*").
bool MatchesAny(const std::vector<std::string>& patterns, const std::string& event_type);

/// Why a pattern names no event Kiln emits, or nullopt when it names at least one.
std::optional<std::string> PatternProblem(const std::string& pattern);

}  // namespace kiln::webhooks
