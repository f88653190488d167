#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace kiln::log {

enum class Level { kDebug, kInfo, kWarn, kError };

/// Sets up spdlog to write one JSON object per line to stderr.
void Init(std::string_view level);

/// True when `level` would be written: check before building costly fields.
bool Enabled(Level level);

/// Logs `message` with structured `fields` merged into the line (request_id, tenant_id, ...).
void Write(Level level, std::string_view message, const nlohmann::json& fields = nlohmann::json::object());

inline void Info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    Write(Level::kInfo, message, fields);
}
inline void Warn(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    Write(Level::kWarn, message, fields);
}
inline void Error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    Write(Level::kError, message, fields);
}

}  // namespace kiln::log
