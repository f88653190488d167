#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiln {

/// What went wrong, independent of transport. One table (http/problem.cpp) maps it to a status.
enum class ErrorCode {
    kBadRequest,        // malformed request: bad JSON, bad header, bad query parameter
    kValidation,        // well-formed but invalid fields; carries field errors
    kUnauthorized,      // no or bad credentials
    kForbidden,         // authenticated, but lacking a permission
    kNotFound,          // absent, or belonging to another tenant
    kMethodNotAllowed,  // the path exists with other methods
    kConflict,          // unique constraint, illegal state transition, concurrent use
    kPayloadTooLarge,   // body over the configured limit
    kUnprocessable,     // semantically refused, e.g. idempotency key reused with another body
    kTooManyRequests,   // rate limited
    kUnavailable,       // dependency down (database, ...)
    kUpstream,          // a provider answered badly
    kInternal,          // a bug
};

struct FieldError {
    std::string field;  // JSON pointer-ish path, e.g. "email" or "lines[2].quantity"
    std::string message;
};

/// The one exception family of Kiln. Handlers throw; the HTTP layer renders.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, std::string detail, std::vector<FieldError> field_errors = {})
        : std::runtime_error(detail), code_(code), detail_(std::move(detail)), field_errors_(std::move(field_errors)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::vector<FieldError>& field_errors() const noexcept { return field_errors_; }
    std::optional<int> retry_after_seconds() const noexcept { return retry_after_seconds_; }
    Error& WithRetryAfter(int seconds) {
        retry_after_seconds_ = seconds;
        return *this;
    }

  private:
    ErrorCode code_;
    std::string detail_;
    std::vector<FieldError> field_errors_;
    std::optional<int> retry_after_seconds_;
};

struct BadRequest final : Error {
    explicit BadRequest(std::string detail) : Error(ErrorCode::kBadRequest, std::move(detail)) {}
};
struct ValidationError final : Error {
    explicit ValidationError(std::vector<FieldError> errors, std::string detail = "The request has invalid fields.")
        : Error(ErrorCode::kValidation, std::move(detail), std::move(errors)) {}
    ValidationError(const std::string& field, const std::string& message)
        : ValidationError(std::vector<FieldError>{{field, message}}) {}
};
struct Unauthorized final : Error {
    explicit Unauthorized(std::string detail = "Authentication is required.")
        : Error(ErrorCode::kUnauthorized, std::move(detail)) {}
};
struct Forbidden final : Error {
    explicit Forbidden(std::string detail) : Error(ErrorCode::kForbidden, std::move(detail)) {}
};
struct NotFound final : Error {
    explicit NotFound(std::string detail) : Error(ErrorCode::kNotFound, std::move(detail)) {}
};
struct Conflict final : Error {
    explicit Conflict(std::string detail) : Error(ErrorCode::kConflict, std::move(detail)) {}
};
struct Unavailable final : Error {
    explicit Unavailable(std::string detail) : Error(ErrorCode::kUnavailable, std::move(detail)) {}
};
/// A setting (environment variable or flag) with a value Kiln cannot use: the process does not
/// start. `setting` is the variable's name, so the operator knows which one to fix.
struct InvalidSetting final : Error {
    InvalidSetting(const std::string& setting, const std::string& problem)
        : Error(ErrorCode::kValidation, setting + " " + problem), setting_(setting) {}
    const std::string& setting() const noexcept { return setting_; }

  private:
    std::string setting_;
};

}  // namespace kiln
