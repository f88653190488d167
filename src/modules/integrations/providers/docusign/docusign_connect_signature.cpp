#include "modules/integrations/providers/docusign/docusign_connect_signature.hpp"

#include "modules/integrations/crypto/hmac_signature.hpp"

namespace kiln::integrations::signatures {

VerifyResult VerifyDocuSignSignatures(const std::vector<std::string>& header_values, std::string_view raw_body,
                                      const std::vector<std::string>& secrets) {
    return VerifyHmacSha256({header_values.begin(), header_values.end()}, raw_body, secrets, DigestEncoding::kBase64);
}

}  // namespace kiln::integrations::signatures
