#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/request_context.hpp"

namespace kiln::http {

/// `limit` + `cursor` pagination over UUIDv7 ids: newest first, and the cursor is the opaque
/// form of the last id returned, so pages stay stable while new rows arrive.
struct PageRequest {
    int64_t limit = 50;
    std::optional<std::string> after_id;  // rows with id < after_id

    static constexpr int64_t kMaxLimit = 200;
    /// Reads and checks `limit` and `cursor` from the query; bad values → ValidationError.
    static PageRequest FromQuery(const RequestContext& ctx);
};

std::string EncodeCursor(const std::string& id);

/// {"data": items, "next_cursor": ...}. `items` holds up to limit+1 rows; the extra row only
/// tells that another page exists and is dropped.
nlohmann::json PageResponse(nlohmann::json items, const PageRequest& page);

/// Reads an optional ISO 8601 query parameter; malformed → ValidationError.
std::optional<Timestamp> QueryTimestamp(const RequestContext& ctx, const std::string& name);

}  // namespace kiln::http
