#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kiln::log {

enum class Level { kDebug, kInfo, kWarn, kError };

/// Sets up spdlog to write one JSON object per line to stderr.
void Init(std::string_view level);

/// True when `level` would be written: check before building costly fields.
bool Enabled(Level level);

/// Correlation fields added to every line this thread writes while a request or a job is served,
/// so any line (a warning deep in a repository included) can be joined with its request and trace.
struct Correlation {
    std::string request_id;
    std::string trace_id;
    std::string span_id;
    std::string tenant_id;
};

/// Makes `correlation` this thread's until destroyed; the previous one (if any) comes back after.
class ScopedCorrelation final {
  public:
    explicit ScopedCorrelation(Correlation correlation);
    ~ScopedCorrelation();
    ScopedCorrelation(const ScopedCorrelation&) = delete;
    ScopedCorrelation& operator=(const ScopedCorrelation&) = delete;

    /// The innermost correlation of this thread, or nullptr. Fields may be filled in later
    /// (the tenant is known only after authentication).
    static Correlation* Current();

  private:
    Correlation correlation_;
    Correlation* previous_;
};

/// Logs `message` with structured `fields` merged into the line (request_id, tenant_id, ...).
void Write(Level level, std::string_view message, const nlohmann::json& fields = nlohmann::json::object());

/// The access log line of one request, written at info level with the thread's correlation
/// fields. Formatted by hand: it is written for every request, and building a nlohmann::json
/// object per request cost more than the rest of the observability together.
struct AccessLine {
    std::string_view method;
    std::string_view route;  // the route template, or "unmatched"
    std::string_view path;
    int status = 0;
    double duration_ms = 0;
};
void WriteAccess(const AccessLine& line, Level level = Level::kInfo);

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
