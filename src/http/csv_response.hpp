#pragma once

#include <string>

#include "http/request.hpp"
#include "http/request_context.hpp"

namespace kiln::http {

/// Whether the caller asked for CSV: `format=csv`, or `Accept: text/csv` without a `format`. ValidationError on a
/// `format` other than json or csv.
bool WantsCsv(const RequestContext& ctx);

/// A 200 CSV answer, offered for download as `<name>.csv`.
Response CsvResponse(std::string body, const std::string& name);

}  // namespace kiln::http
