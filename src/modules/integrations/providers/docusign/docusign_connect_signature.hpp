#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// Checks DocuSign Connect HMAC headers: each `X-DocuSign-Signature-N` is base64(HMAC-SHA256(Connect key, raw
/// body)), one per key configured on the Connect side. Valid when any header matches any of our secrets.
VerifyResult VerifyDocuSignSignatures(const std::vector<std::string>& header_values, std::string_view raw_body,
                                      const std::vector<std::string>& secrets);

}  // namespace kiln::integrations::signatures
