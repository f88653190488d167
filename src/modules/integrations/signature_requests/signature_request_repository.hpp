#pragma once

#include <optional>
#include <string>

#include "db/database.hpp"
#include "modules/integrations/signature_requests/signature_request.hpp"

namespace kiln::integrations {

/// The `signature_requests` table, tenant-scoped.
class SignatureRequestRepository final {
  public:
    static void Insert(const db::TenantScope& scope, const SignatureRequest& request);
    static std::optional<SignatureRequest> Find(const db::TenantScope& scope, const SignatureRequestId& id);
    /// The provider's current status for the request, forward only (EnvelopeStatusRank); `completed`
    /// sets completed_at. Returns whether it changed.
    static bool UpdateStatus(const db::TenantScope& scope, const SignatureRequestId& id, const std::string& status);
};

/// For the inbound DocuSign Connect hook: moves the tenant's request for `envelope_id` to `status`,
/// forward only (a late "delivered" after "completed" changes nothing; unknown words are ignored);
/// `completed` sets completed_at. Returns whether a request changed.
bool UpdateSignatureStatusByEnvelope(const db::TenantScope& scope, const std::string& envelope_id,
                                     const std::string& status);

}  // namespace kiln::integrations
