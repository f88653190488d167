#pragma once

#include <string>
#include <string_view>

namespace kiln {

/// A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Time-ordered, so ids
/// double as a stable sort key for cursor pagination.
std::string NewUuidV7();

/// True for the canonical lowercase or uppercase 8-4-4-4-12 hex form.
bool IsUuid(std::string_view text);

}  // namespace kiln
