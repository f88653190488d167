#pragma once

#include <optional>

#include "http/request.hpp"
#include "http/request_context.hpp"
#include "http/route.hpp"

namespace kiln::http {

/// The most rows one export holds: beyond it the caller narrows the filters (the answer says so).
inline constexpr size_t kMaxExportRows = 100'000;

/// Every list (`{"data": [...], "next_cursor": ...}`) is also a CSV export: with `format=csv` or `Accept: text/csv`,
/// the dispatcher runs the list's handler again for each next page, in the same transaction (one consistent
/// snapshot, the same filters), and answers one CSV of every row. A column per field of the rows, in the order they
/// first appear; nested objects and arrays as JSON text. Nothing when `first` is not a list page or no CSV was
/// asked for. The whole export is built before it is sent (at most kMaxExportRows rows; 422 beyond).
std::optional<Response> ExportListAsCsv(RequestContext& ctx, const Route& route, const Response& first);

}  // namespace kiln::http
