#include "http/pagination.hpp"

#include <charconv>

#include "core/crypto.hpp"
#include "core/uuid.hpp"

namespace kiln::http {

PageRequest PageRequest::FromQuery(const RequestContext& ctx) {
    PageRequest page;
    if (const auto limit = ctx.Query("limit")) {
        const std::string_view text = *limit;
        int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || ptr != text.data() + text.size() || value < 1 || value > kMaxLimit)
            throw ValidationError("limit", "must be an integer from 1 to " + std::to_string(kMaxLimit));
        page.limit = value;
    }
    if (auto cursor = ctx.Query("cursor")) {
        std::string id;
        if (!crypto::Base64UrlDecode(*cursor, id) || !IsUuid(id))
            throw ValidationError("cursor", "is not a valid cursor");
        page.after_id = id;
    }
    return page;
}

std::string EncodeCursor(const std::string& id) {
    return crypto::Base64UrlEncode(id);
}

nlohmann::json PageResponse(nlohmann::json items, const PageRequest& page) {
    nlohmann::json next = nullptr;
    if (static_cast<int64_t>(items.size()) > page.limit) {
        items.erase(items.begin() + page.limit, items.end());
        next = EncodeCursor(items.back().at("id").get<std::string>());
    }
    return {{"data", std::move(items)}, {"next_cursor", next}};
}

std::optional<Timestamp> QueryTimestamp(const RequestContext& ctx, const std::string& name) {
    const auto text = ctx.Query(name);
    if (!text) return std::nullopt;
    const auto parsed = ParseTimestamp(*text);
    if (!parsed) throw ValidationError(name, "must be an ISO 8601 date-time");
    return parsed;
}

}  // namespace kiln::http
