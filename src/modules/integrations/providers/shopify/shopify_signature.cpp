#include "modules/integrations/providers/shopify/shopify_signature.hpp"

#include "modules/integrations/crypto/hmac_signature.hpp"

namespace kiln::integrations::signatures {

VerifyResult VerifyShopifyWebhook(std::string_view header_b64, std::string_view raw_body,
                                  const std::vector<std::string>& secrets) {
    return VerifyHmacSha256({header_b64}, raw_body, secrets, DigestEncoding::kBase64);
}

}  // namespace kiln::integrations::signatures
