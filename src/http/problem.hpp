#pragma once

#include <string>

#include "core/error.hpp"
#include "http/request.hpp"

namespace kiln::http {

/// The one table from error code to HTTP status.
int HttpStatus(ErrorCode code);

/// The problem type's short name ("not-found", "validation-error", …): the last part of its
/// `type` URI and the `type` label of kiln_http_errors_total.
const char* ProblemSlug(ErrorCode code);

/// Renders an error as an RFC 9457 `application/problem+json` document.
Response ProblemResponse(const Error& error, const std::string& instance, const std::string& request_id);

}  // namespace kiln::http
