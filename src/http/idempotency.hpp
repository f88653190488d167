#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/secret_vault.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "http/request.hpp"

namespace kiln::http {

/// An `Idempotency-Key` on a creating POST: the key, whose it is (the credential) and a hash of
/// the request it came with. Keys are per tenant and per credential.
class IdempotencyKey final {
  public:
    /// Throws BadRequest for an empty or over-long key.
    static IdempotencyKey From(const std::string& key, const std::string& principal_id, const Request& request);

    const std::string& key() const { return key_; }
    const std::string& principal_id() const { return principal_id_; }
    const std::string& request_hash() const { return request_hash_; }

  private:
    IdempotencyKey(std::string key, std::string principal_id, std::string request_hash)
        : key_(std::move(key)), principal_id_(std::move(principal_id)), request_hash_(std::move(request_hash)) {}

    std::string key_;
    std::string principal_id_;
    std::string request_hash_;
};

/// The responses of creating POSTs, kept for replay. The first request's response is stored in the
/// same transaction as its effect; a retry with the same key and body gets that response again,
/// and the same key with another body is refused (422). A stored response may carry a secret that
/// is shown once (a new API token, a webhook signing secret), so every body is sealed with the
/// vault, bound to its tenant, credential and key; rows expire after `ttl` and are purged.
class IdempotencyStore final {
  public:
    /// `ttl` 0 keeps nothing: Idempotency-Key is then accepted and has no effect.
    IdempotencyStore(const SecretVault& vault, std::chrono::seconds ttl) : vault_(vault), ttl_(ttl) {}

    /// The stored response of `key`, marked Idempotent-Replayed; nullopt when there is none or it
    /// expired. Throws Unprocessable when the key came with another request.
    std::optional<Response> Lookup(const db::TenantScope& scope, const IdempotencyKey& key) const;
    /// Keeps `response` for `key`, over an expired row of the same key. Throws Conflict when a row
    /// that has not expired appeared meanwhile (two requests with one key at once): the second one's
    /// effect is then rolled back with its transaction.
    void Store(const db::TenantScope& scope, const IdempotencyKey& key, const Response& response) const;

    /// Deletes up to `batch` rows of any tenant that expired at `now` (a system transaction);
    /// returns how many went.
    static size_t PurgeExpired(db::Transaction& system_tx, Timestamp now, size_t batch);
    /// Reseals every stored response from `current` to `next` (kiln admin rotate-master-key).
    static size_t Reseal(db::Transaction& system_tx, const SecretVault& current, const SecretVault& next);

  private:
    const SecretVault& vault_;
    std::chrono::seconds ttl_;
};

}  // namespace kiln::http
