#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace kiln::integrations {

using IntegrationId = TypedId<struct IntegrationIdTag>;

struct TypeSpec;
class PlatformDefaults;

/// A tenant's connection to one provider. `config` holds what the tenant saved, secrets opened:
/// it lives decrypted only in memory, and ToJson masks every secret.
struct Integration {
    IntegrationId id;
    std::string type;        // stripe, razorpay, sendgrid, ses, twilio, shopify, docusign, custom
    std::string capability;  // payments, email, sms, commerce, signatures, http
    std::string name;
    std::string mode = "test";  // test or live: which of the provider's environments the credentials reach
    nlohmann::json config = nlohmann::json::object();
    std::string status = "active";  // active, inactive, error
    bool is_default = false;        // the tenant's provider for its capability (payments, email, sms)
    std::optional<Timestamp> last_tested_at;
    std::optional<std::string> last_error;
    nlohmann::json sync_state = nlohmann::json::object();
    Timestamp created_at;
    Timestamp updated_at;
    /// Where a platform administrator sent this integration instead of the provider's pinned hosts
    /// ({"base_url", "oauth_base_url"}; null: nowhere else). No tenant route writes it.
    nlohmann::json endpoint_override = nullptr;
    /// The tenant's opt-in to the platform's fallback credentials (tenants.use_platform_credentials),
    /// read with the row; only a platform administrator sets it.
    bool use_platform_credentials = false;

    /// Secrets appear masked ("sk_test_…4242"); fields left empty that the platform's environment
    /// provides (for an opted-in tenant) are named in `platform_defaults` (their values are never
    /// shown); `endpoint_override` is shown read-only.
    nlohmann::json ToJson(const TypeSpec& spec, const PlatformDefaults& defaults) const;
};

}  // namespace kiln::integrations
