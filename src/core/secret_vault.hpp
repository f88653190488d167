#pragma once

#include <string>
#include <string_view>

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
    static SecretVault Load(const std::string& master_key_base64, const std::string& data_dir);
    explicit SecretVault(std::string key);

    std::string Seal(std::string_view plaintext, std::string_view context) const;
    /// Throws std::runtime_error when the value was sealed under another key, for another context,
    /// or tampered with.
    std::string Open(std::string_view sealed, std::string_view context) const;

    const std::string& key_id() const { return key_id_; }

  private:
    std::string key_;
    std::string key_id_;
};

}  // namespace kiln
