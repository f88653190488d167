#include "http/date_query.hpp"

#include <chrono>
#include <regex>

#include "core/error.hpp"

namespace kiln::http {

std::optional<Timestamp> QueryDate(const RequestContext& ctx, const std::string& name) {
    const auto text = ctx.Query(name);
    if (!text) return std::nullopt;
    static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
    const auto parsed = std::regex_match(*text, kDate) ? ParseTimestamp(*text) : std::nullopt;
    if (!parsed) throw ValidationError(name, "must be a date, YYYY-MM-DD");
    return parsed;
}

Timestamp QueryDayEnd(const RequestContext& ctx, const std::string& name) {
    const auto day = QueryDate(ctx, name);
    return (day ? *day : Now()) + std::chrono::hours(24);
}

}  // namespace kiln::http
