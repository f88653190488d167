#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"
#include "http/request.hpp"

namespace kiln::http {

/// An `Idempotency-Key` on a creating POST. The first request's response is stored in the same
/// transaction as its effect; a retry with the same key and body gets that response again, and
/// the same key with another body is refused (422). Keys are per tenant and per credential.
class IdempotencyKey final {
  public:
    /// Throws BadRequest for an empty or over-long key.
    static IdempotencyKey From(const std::string& key, const std::string& principal_id, const Request& request);

    std::optional<Response> Lookup(const db::TenantScope& scope) const;
    void Store(const db::TenantScope& scope, const Response& response) const;

  private:
    IdempotencyKey(std::string key, std::string principal_id, std::string request_hash)
        : key_(std::move(key)), principal_id_(std::move(principal_id)), request_hash_(std::move(request_hash)) {}

    std::string key_;
    std::string principal_id_;
    std::string request_hash_;
};

}  // namespace kiln::http
