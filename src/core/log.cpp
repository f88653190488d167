#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iterator>

#include "core/json_text.hpp"
#include "core/time.hpp"

namespace kiln::log {

namespace {

spdlog::level::level_enum ToSpdlog(Level level) {
    switch (level) {
        case Level::kDebug:
            return spdlog::level::debug;
        case Level::kInfo:
            return spdlog::level::info;
        case Level::kWarn:
            return spdlog::level::warn;
        case Level::kError:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

const char* Name(Level level) {
    switch (level) {
        case Level::kDebug:
            return "debug";
        case Level::kInfo:
            return "info";
        case Level::kWarn:
            return "warn";
        case Level::kError:
            return "error";
    }
    return "info";
}

thread_local Correlation* current_correlation = nullptr;

void AddCorrelation(nlohmann::json& line) {
    const Correlation* c = current_correlation;
    if (c == nullptr) return;
    if (!c->request_id.empty() && !line.contains("request_id")) line["request_id"] = c->request_id;
    if (!c->trace_id.empty()) line["trace_id"] = c->trace_id;
    if (!c->span_id.empty()) line["span_id"] = c->span_id;
    if (!c->tenant_id.empty() && !line.contains("tenant_id")) line["tenant_id"] = c->tenant_id;
}

}  // namespace

ScopedCorrelation::ScopedCorrelation(Correlation correlation)
    : correlation_(std::move(correlation)), previous_(current_correlation) {
    current_correlation = &correlation_;
}

ScopedCorrelation::~ScopedCorrelation() {
    current_correlation = previous_;
}

Correlation* ScopedCorrelation::Current() {
    return current_correlation;
}

void Init(std::string_view level) {
    auto logger = spdlog::stderr_logger_mt("kiln");
    logger->set_pattern("%v");  // the line is already a JSON object
    logger->set_level(spdlog::level::from_str(std::string(level)));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

bool Enabled(Level level) {
    return spdlog::default_logger_raw()->should_log(ToSpdlog(level));
}

void Write(Level level, std::string_view message, const nlohmann::json& fields) {
    if (!Enabled(level)) return;
    nlohmann::json line = {{"time", FormatTimestamp(Now())}, {"level", Name(level)}, {"message", message}};
    if (fields.is_object()) {
        for (const auto& [key, value] : fields.items()) line[key] = value;
    }
    AddCorrelation(line);
    spdlog::default_logger_raw()->log(ToSpdlog(level), "{}",
                                      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kiln::log

namespace kiln::log {

void WriteAccess(const AccessLine& line, Level level) {
    if (!Enabled(level)) return;
    std::string out;
    out.reserve(384);
    out += '{';
    json_text::AppendKey(out, "time");
    json_text::AppendString(out, FormatTimestamp(Now()));
    out += R"(,"level":")";
    out += Name(level);
    out += R"(","message":"request")";
    if (const Correlation* c = current_correlation) {
        for (const auto& [key, value] : {std::pair<std::string_view, const std::string*>{"request_id", &c->request_id},
                                         {"trace_id", &c->trace_id},
                                         {"span_id", &c->span_id},
                                         {"tenant_id", &c->tenant_id}}) {
            if (value->empty()) continue;
            out += ',';
            json_text::AppendKey(out, key);
            json_text::AppendString(out, *value);
        }
    }
    out += ',';
    json_text::AppendKey(out, "method");
    json_text::AppendString(out, line.method);
    out += ',';
    json_text::AppendKey(out, "route");
    json_text::AppendString(out, line.route);
    out += ',';
    json_text::AppendKey(out, "path");
    json_text::AppendString(out, line.path);
    fmt::format_to(std::back_inserter(out), R"(,"status":{},"duration_ms":{:.3f}}})", line.status, line.duration_ms);
    spdlog::default_logger_raw()->log(ToSpdlog(level), "{}", out);
}

}  // namespace kiln::log
