#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln {

/// Encrypts secrets at rest (DESIGN §6): libsodium XChaCha20-Poly1305 under a 32-byte master key
/// from KILN_MASTER_KEY (base64), or from `<data_dir>/master.key`, created with mode 0600 on first
/// use. A sealed value reads "kv1:<key id>:<base64 of nonce and ciphertext>"; the key id (the first
/// bytes of the key's SHA-256) names the key that sealed it, so keys can rotate. `context` is bound
/// into the ciphertext as associated data (e.g. "webhook_subscriptions.secret:<id>"), so a sealed
/// value copied into another row does not open there.
class SecretVault final {
  public:
    /// Throws std::runtime_error when the key is malformed or the key file cannot be read or made.
    /// Also loads `<data_dir>/master.key.next` when an interrupted `kiln admin rotate-master-key`
    /// left one, so values it already resealed still open.
    static SecretVault Load(const std::string& master_key_base64, const std::string& data_dir);
    /// A fresh random key, base64: what the key file holds.
    static std::string GenerateKey();
    explicit SecretVault(std::string key);

    std::string Seal(std::string_view plaintext, std::string_view context) const;
    /// Throws std::runtime_error when the value was sealed under another key, for another context,
    /// or tampered with.
    std::string Open(std::string_view sealed, std::string_view context) const;

    const std::string& key_id() const { return key_id_; }
    /// A key that no longer seals but still opens what it sealed (rotation in progress).
    void AddRetiredKey(std::string key);

    /// A 32-byte key for one purpose, derived from the current master key as
    /// HMAC-SHA256(master key, label), e.g. label "kiln-audit:<tenant id>". Never stored: it is
    /// derived again whenever it is needed, and changes when the master key rotates.
    std::string DeriveKey(std::string_view label) const;
    /// The same derivation from the master key named `key_id` (current or retired); nullopt when
    /// that key is not loaded.
    std::optional<std::string> DeriveKeyWith(std::string_view key_id, std::string_view label) const;

  private:
    const std::string* KeyFor(std::string_view key_id) const;
    std::string key_;
    std::string key_id_;
    std::vector<std::pair<std::string, std::string>> retired_;  // (key id, key)
};

}  // namespace kiln
