#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

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

}  // namespace

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
    spdlog::default_logger_raw()->log(ToSpdlog(level), "{}",
                                      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kiln::log
