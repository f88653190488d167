#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// Checks `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app client secret, raw body)). Several secrets because after
/// a rotation Shopify may keep signing with the old one for up to an hour.
VerifyResult VerifyShopifyWebhook(std::string_view header_b64, std::string_view raw_body,
                                  const std::vector<std::string>& secrets);

}  // namespace kiln::integrations::signatures
