#pragma once

#include <optional>
#include <string>

#include "core/time.hpp"
#include "http/request_context.hpp"

namespace kiln::http {

/// A YYYY-MM-DD query parameter as the instant its day starts (UTC), or nothing when absent; ValidationError on
/// anything else.
std::optional<Timestamp> QueryDate(const RequestContext& ctx, const std::string& name);

/// The end of an inclusive YYYY-MM-DD bound: the start of the next day; when absent, now + 24 h (so everything
/// so far counts, whatever the caller's time zone).
Timestamp QueryDayEnd(const RequestContext& ctx, const std::string& name);

/// A list's `created_from` and `created_until` (YYYY-MM-DD, both inclusive) as [from, until).
struct CreatedRange {
    std::optional<Timestamp> from;
    std::optional<Timestamp> until;
};
CreatedRange QueryCreatedRange(const RequestContext& ctx);

}  // namespace kiln::http
