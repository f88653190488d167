#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kiln::events {

/// An event type Kiln emits, with the JSON Schema of its `data`. Each module declares its types
/// once at start-up; GET /events/types lists them and RecordEvent refuses undeclared ones.
struct EventType {
    std::string name;  // e.g. "product.created"
    std::string description;
    nlohmann::json data_schema;
};

class EventTypeRegistry final {
  public:
    /// The process-wide registry. Filled before the server starts; read-only afterwards.
    static EventTypeRegistry& Instance();

    void Declare(EventType type);
    bool Contains(const std::string& name) const;
    const std::vector<EventType>& types() const { return types_; }

  private:
    std::vector<EventType> types_;
};

}  // namespace kiln::events
