#include "http/problem.hpp"

namespace kiln::http {

namespace {

struct ProblemKind {
    int status;
    const char* slug;
    const char* title;
};

ProblemKind KindOf(ErrorCode code) {
    switch (code) {
        case ErrorCode::kBadRequest:
            return {400, "bad-request", "Bad Request"};
        case ErrorCode::kValidation:
            return {422, "validation-error", "Your request has invalid fields"};
        case ErrorCode::kUnauthorized:
            return {401, "unauthorized", "Unauthorized"};
        case ErrorCode::kForbidden:
            return {403, "forbidden", "Forbidden"};
        case ErrorCode::kNotFound:
            return {404, "not-found", "Not Found"};
        case ErrorCode::kMethodNotAllowed:
            return {405, "method-not-allowed", "Method Not Allowed"};
        case ErrorCode::kConflict:
            return {409, "conflict", "Conflict"};
        case ErrorCode::kPayloadTooLarge:
            return {413, "payload-too-large", "Content Too Large"};
        case ErrorCode::kUnprocessable:
            return {422, "unprocessable", "Unprocessable Content"};
        case ErrorCode::kTooManyRequests:
            return {429, "too-many-requests", "Too Many Requests"};
        case ErrorCode::kUnavailable:
            return {503, "unavailable", "Service Unavailable"};
        case ErrorCode::kUpstream:
            return {502, "upstream-error", "Bad Gateway"};
        case ErrorCode::kInternal:
            return {500, "internal-error", "Internal Server Error"};
    }
    return {500, "internal-error", "Internal Server Error"};
}

}  // namespace

const char* ProblemSlug(ErrorCode code) {
    return KindOf(code).slug;
}

int HttpStatus(ErrorCode code) {
    return KindOf(code).status;
}

Response ProblemResponse(const Error& error, const std::string& instance, const std::string& request_id) {
    const ProblemKind kind = KindOf(error.code());
    nlohmann::json body = {
        {"type", std::string("urn:kiln:problem:") + kind.slug},
        {"title", kind.title},
        {"status", kind.status},
        {"detail", error.detail()},
        {"instance", instance},
        {"request_id", request_id},
    };
    if (!error.field_errors().empty()) {
        body["errors"] = nlohmann::json::array();
        for (const auto& fe : error.field_errors())
            body["errors"].push_back({{"field", fe.field}, {"message", fe.message}});
    }
    Response response = Response::Json(kind.status, body);
    response.content_type = "application/problem+json";
    if (error.retry_after_seconds())
        response.headers.emplace_back("Retry-After", std::to_string(*error.retry_after_seconds()));
    if (kind.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
}

}  // namespace kiln::http
