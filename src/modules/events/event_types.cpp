#include "modules/events/event_types.hpp"

#include <algorithm>
#include <stdexcept>

namespace kiln::events {

EventTypeRegistry& EventTypeRegistry::Instance() {
    static EventTypeRegistry registry;
    return registry;
}

void EventTypeRegistry::Declare(EventType type) {
    // Declared again by a second route registration (tests, `kiln routes`): the first one stands.
    if (Contains(type.name)) return;
    types_.push_back(std::move(type));
}

bool EventTypeRegistry::Contains(const std::string& name) const {
    return std::any_of(types_.begin(), types_.end(), [&](const EventType& t) { return t.name == name; });
}

}  // namespace kiln::events
