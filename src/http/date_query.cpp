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

CreatedRange QueryCreatedRange(const RequestContext& ctx) {
    CreatedRange range{.from = QueryDate(ctx, "created_from"), .until = QueryDate(ctx, "created_until")};
    if (range.until) *range.until += std::chrono::hours(24);
    if (range.from && range.until && *range.until <= *range.from)
        throw ValidationError("created_until", "must not be before created_from");
    return range;
}

}  // namespace kiln::http
